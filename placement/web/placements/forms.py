"""Forms of the placement pages: a placement, a due date, a follow-up."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from placement import vocab
from placement.placements import statistics
from placement.web.fields import (
    CheckboxesField,
    DateField,
    OptionalSelectField,
    blank_to_none,
    choices,
)
from placement.web.form_base import BaseForm

if TYPE_CHECKING:
    from placement.placements.models import Placement

SATISFACTION = choices([("", "—")] + [(str(n), str(n)) for n in range(1, 6)])


class PlacementForm(BaseForm):
    participant_id = SelectField(_l("Participant"), coerce=int, choices=[])
    organisation_id = SelectField(_l("Employer"), coerce=int, choices=[])
    vacancy_id = OptionalSelectField(_l("Vacancy (optional)"), choices=[], default="")
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=200)])
    occupation = StringField(
        _l("Occupation"), validators=[Optional(), Length(max=200)], filters=[blank_to_none]
    )
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    contract_type = SelectField(_l("Type of contract"), choices=choices(vocab.CONTRACT_TYPES))
    contract_end = DateField(_l("Contract ends on"), validators=[Optional()])
    hours_per_week = IntegerField(
        _l("Hours per week"), validators=[Optional(), NumberRange(min=1, max=60)]
    )
    wage_band = OptionalSelectField(
        _l("Wage band (optional)"),
        choices=choices([("", "—"), *vocab.WAGE_BANDS.items()]),
        default="",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        end, start = self.contract_end.data, self.start_date.data
        message = None
        if end and start and end < start:
            message = _l("The contract cannot end before it starts.")
        elif self.contract_type.data == "fixed_term" and not end:
            message = _l("A fixed-term contract needs its end date.")
        if message and not self.contract_end.errors:
            self.contract_end.errors = [*self.contract_end.errors, message]
            valid = False
        return valid

    def placement_data(self) -> dict:
        data = {name: self[name].data for name in ("title", "occupation", "start_date",
                "contract_type", "contract_end", "hours_per_week")}  # fmt: skip
        data["wage_band"] = self.wage_band.data or None
        return data


class DueDateForm(BaseForm):
    due_date = DateField(_l("Due on"), validators=[DataRequired()])


class FollowUpForm(BaseForm):
    contact_made = BooleanField(_l("Contact made"))
    still_employed = RadioField(
        _l("Still employed?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Say whether the person is still employed."))],
    )
    ended_on = DateField(_l("Employment ended on"), validators=[Optional()])
    end_reason = OptionalSelectField(
        _l("Why it ended"), choices=choices([("", "—"), *vocab.END_REASONS.items()]), default=""
    )
    hours_per_week = IntegerField(
        _l("Hours per week now"), validators=[Optional(), NumberRange(min=1, max=60)]
    )
    satisfaction_participant = OptionalSelectField(
        _l("Satisfaction of the participant (1 = low, 5 = high)"), choices=SATISFACTION, default=""
    )
    satisfaction_employer = OptionalSelectField(
        _l("Satisfaction of the employer (1 = low, 5 = high)"), choices=SATISFACTION, default=""
    )
    risk_signals = CheckboxesField(_l("Risk signals"), choices=choices(vocab.RISK_SIGNALS))
    support = CheckboxesField(_l("Support agreed"), choices=choices(vocab.SUPPORT))
    support_due = DateField(_l("Support due by"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        # Checks across fields (Optional() would stop a field's own validator on empty input).
        valid = super().validate(extra_validators)
        ended = self.still_employed.data == "no"
        for wanted, f, message in (
            (ended, self.ended_on, _l("Say when the employment ended.")),
            (ended, self.end_reason, _l("Say why the employment ended.")),
            (bool(self.support.data), self.support_due, _l("Support agreed needs a due date.")),
        ):
            if wanted and not f.data and not f.errors:
                f.errors = [*f.errors, message]
                valid = False
        return valid

    def follow_up_data(self) -> dict:
        def level(value):
            return int(value) if value else None

        return {
            "contact_made": bool(self.contact_made.data),
            "still_employed": self.still_employed.data == "yes",
            "ended_on": self.ended_on.data,
            "end_reason": self.end_reason.data or None,
            "hours_per_week": self.hours_per_week.data,
            "satisfaction_participant": level(self.satisfaction_participant.data),
            "satisfaction_employer": level(self.satisfaction_employer.data),
            "risk_signals": self.risk_signals.data or [],
            "support": self.support.data or [],
            "support_due": self.support_due.data,
            "note": self.note.data,
        }


class FilterForm(BaseForm):
    """Narrow the statistics (GET: a link with filters can be shared and bookmarked)."""

    class Meta:
        csrf = False

    start_from = DateField(_l("Started from"), validators=[Optional()])
    start_to = DateField(_l("Started until"), validators=[Optional()])
    counsellor = SelectField(_l("Counsellor"), validators=[Optional()], default="")
    employer = SelectField(_l("Employer"), validators=[Optional()], default="")
    occupation = SelectField(_l("Occupation"), validators=[Optional()], default="")

    def fill(self, placements: list[Placement]) -> None:
        """The choices: the counsellors, employers and occupations the report would show on
        their own (statistics.pool): a group too small to show is not offered either, nor one
        whose figures would give away a small group by subtraction."""

        def options(key, label) -> list[tuple[str, str]]:
            groups, names = defaultdict(list), {}
            for p in placements:
                value = key(p)
                if value is not None:
                    groups[value].append(statistics.Observation(0, False, p.participant_id))
                    names[value] = label(p)
            shown, _rest = statistics.pool(groups)
            large = [(str(value), names[value]) for value in shown]
            return [("", _("all"))] + sorted(large, key=lambda c: c[1].lower())

        self.counsellor.choices = options(lambda p: p.counsellor_id,
                                          lambda p: p.counsellor.name)  # fmt: skip
        self.employer.choices = options(lambda p: p.organisation_id, lambda p: p.organisation.name)
        occupation = lambda p: statistics.group_keys(p)["occupation"]  # noqa: E731
        self.occupation.choices = options(occupation, occupation)

    def filters(self) -> statistics.Filters:
        def number(value):
            return int(value) if value and value.isdigit() else None

        return statistics.Filters(
            start_from=self.start_from.data,
            start_to=self.start_to.data,
            counsellor_id=number(self.counsellor.data),
            organisation_id=number(self.employer.data),
            occupation=self.occupation.data or None,
        )
