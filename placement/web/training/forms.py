"""Forms of the training area: the quiz of a module (one field per question), and the box to
type a certificate's code on the public verify page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from placement.training.modules import Module, text
from placement.web.fields import CheckboxesField, choices
from placement.web.form_base import BaseForm

ANSWER_REQUIRED = _l("Please answer this question.")


def quiz_form(module: Module, locale: object) -> BaseForm:
    """A form with one field per question (``q0``, ``q1`` ...): radios or checkboxes."""

    class QuizForm(BaseForm):
        pass

    for index, question in enumerate(module.questions):
        options = choices([(o.id, text(o.text, locale)) for o in question.options])
        label = text(question.text, locale)
        if question.kind == "single":
            field = RadioField(label, choices=options, invalid_choice_message=ANSWER_REQUIRED)
        else:
            required = DataRequired(ANSWER_REQUIRED)
            field = CheckboxesField(label, choices=options, validators=[required])
        setattr(QuizForm, f"q{index}", field)
    return QuizForm()


class VerifyForm(BaseForm):
    """The code as printed on a certificate (any case, with or without spaces and dashes)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    code = StringField(
        _l("Verification code"),
        validators=[InputRequired(_l("Please enter the code printed on the certificate.")),
                    Length(max=60, message=_l("This is not a verification code."))],
    )  # fmt: skip
