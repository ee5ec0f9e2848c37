"""Forms of the training area: the quiz of a module, one field per question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import DataRequired

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
