"""Forms of the employer area: a vacancy (also used by counsellors), the answer to a proposal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from placement import vocab
from placement.employers import candidates
from placement.web.fields import (
    LEVEL_CHOICES,
    POSTCODE,
    DateField,
    ListField,
    OptionalSelectField,
    Words,
    blank_to_none,
    choices,
    within_limits,
)
from placement.web.form_base import BaseForm


class VacancyForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=choices(vocab.VACANCY_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(min=20, max=20000), Words()]
    )
    occupation = StringField(
        _l("Occupation"), validators=[Optional(), Length(max=200)], filters=[blank_to_none]
    )
    skills = ListField(_l("Skills (one per line)"))
    german_level = OptionalSelectField(
        _l("Required German level"), choices=LEVEL_CHOICES, default=""
    )
    requires_recognition = BooleanField(
        _l("Regulated profession: recognition (Anerkennung) required")
    )
    postcode = StringField(_l("Postcode of the workplace"), validators=[DataRequired(), POSTCODE])
    radius_km = IntegerField(_l("Radius (km)"), validators=[Optional(), within_limits("radius_km")])
    hours_per_week = IntegerField(
        _l("Hours per week"), validators=[InputRequired(), within_limits("hours_per_week")]
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    duration_weeks = IntegerField(
        _l("Duration in weeks (internships)"),
        validators=[Optional(), within_limits("duration_weeks")],
    )
    status = SelectField(_l("Status"), choices=choices(vocab.VACANCY_STATUSES))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "internship" and not self.duration_weeks.data:
            if not self.duration_weeks.errors:
                self.duration_weeks.errors = [_l("An internship needs a duration.")]
            valid = False
        return valid


class AnswerForm(BaseForm):
    to_status = SelectField(
        _l("Answer"),
        choices=choices({s: vocab.PROPOSAL_STATUSES[s] for s in candidates.EMPLOYER_ANSWERS}),
    )
    reason = OptionalSelectField(
        _l("Reason for declining"),
        choices=choices([("", "—"), *vocab.DECLINE_REASONS.items()]),
        default="",
    )
