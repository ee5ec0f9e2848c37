"""Form fields, validators and small forms shared by several areas (area forms live in
``web/<area>/forms.py``). Every field validates and reports next to itself."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField as _DateField
from wtforms import (
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from placement import limits, vocab
from placement.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from placement.web.form_base import BaseForm

POSTCODE = Regexp(r"^\d{5}$", message=_l("A German postcode has five digits."))


def choices(pairs) -> list[SelectChoice]:
    """WTForms options from a vocabulary mapping or (value, label) pairs."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(str(value), label) for value, label in items]


LEVEL_CHOICES = choices([("", _l("none required"))] + [(lvl, lvl) for lvl in vocab.CEFR_LEVELS])
# A person has a level, or none yet / not known: never "no requirement".
OWN_LEVEL_CHOICES = choices(
    [("", _l("none yet or not known"))] + [(lvl, lvl) for lvl in vocab.CEFR_LEVELS]
)


def split_list(text: str | None) -> list[str]:
    """One entry per line or comma: the way people type lists of skills."""
    return [item.strip() for item in re.split(r"[\n,;]", text or "") if item.strip()]


class ListField(TextAreaField):
    """A textarea holding a list of short strings (at most 30 of up to 120 characters)."""

    def process_formdata(self, valuelist):
        self.data = split_list(valuelist[0]) if valuelist else []

    def pre_validate(self, form):
        problem = limits.list_problem(self.data or [])
        if problem:
            raise ValidationError(_l("This list %(problem)s.", problem=problem))


class DateField(_DateField):
    """A date between 1900 and 2100: a far-future date is a typing error, and date arithmetic
    on it (follow-ups, durations) would overflow."""

    def pre_validate(self, form):
        if self.data is not None and limits.date_problem(self.data):
            raise ValidationError(
                _l("Enter a date between %(a)d and %(b)d.", a=limits.FIRST_DATE.year,
                   b=limits.LAST_DATE.year)
            )  # fmt: skip


class Words:
    """No word longer than the engine's limit in a free text (a 10,000-character "word" is not
    a description of anyone's work)."""

    def __call__(self, form, field):
        problem = limits.text_problem(field.data or "", 10**6, free_text=True)
        if problem:
            raise ValidationError(_l("This text %(problem)s.", problem=problem))

    def _value(self):
        return "\n".join(self.data or [])


class CheckboxesField(SelectMultipleField):
    """Several options as checkboxes (rendered in a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OptionalSelectField(SelectField):
    """A select whose empty value means "not given" (e.g. no German level required)."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        super().pre_validate(form)


def blank_to_none(value):
    """Filter: an empty input is "not given" (None), not an empty string."""
    return value or None


class PasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])


def within_limits(key: str) -> NumberRange:
    """The range placement/limits.py sets for a number: a form accepts what an import does."""
    low, high = limits.NUMBER_RANGES[key]
    return NumberRange(min=low, max=high)
