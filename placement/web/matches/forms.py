"""Forms of the counsellors' match, shortlist and occupation pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from placement import vocab
from placement.matches.review import MatchFilters
from placement.web.fields import OptionalSelectField, choices
from placement.web.form_base import BaseForm


class MatchFilterForm(BaseForm):
    """GET filters of a match page (no CSRF: nothing changes)."""

    class Meta:
        csrf = False

    group = OptionalSelectField(
        _l("Show"),
        choices=choices([("", _l("everyone")), ("eligible", _l("eligible")),
                         ("near_miss", _l("near misses")), ("ineligible", _l("not eligible"))]),
        default="",
    )  # fmt: skip
    sort = OptionalSelectField(
        _l("Sort by"),
        choices=choices([("", _l("score")), ("distance", _l("distance")),
                         ("german", _l("German level"))]),
        default="",
    )  # fmt: skip
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)])
    phase = OptionalSelectField(
        _l("Phase"), choices=choices([("", _l("all")), *vocab.PHASES.items()]), default=""
    )
    min_german = OptionalSelectField(
        _l("German at least"),
        choices=choices([("", _l("any")), *((x, x) for x in vocab.CEFR_LEVELS)]),
        default="",
    )
    max_km = IntegerField(
        _l("Distance at most (km)"), validators=[Optional(), NumberRange(min=1, max=1000)]
    )
    kind = OptionalSelectField(
        _l("Kind"), choices=choices([("", _l("all")), *vocab.VACANCY_KINDS.items()]), default=""
    )

    def filters(self) -> MatchFilters:
        return MatchFilters(
            phase=int(self.phase.data) if self.phase.data else None,
            min_german=self.min_german.data or None,
            max_km=self.max_km.data,
            kind=self.kind.data or None,
        )


class BulkShortlistForm(BaseForm):
    """Several rows of a match list at once: the ids ticked (participants or vacancies)."""

    ids = SelectMultipleField(
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Tick at least one row first."))],
    )
    next = HiddenField()

    def validate_ids(self, field) -> None:
        if any(not 1 <= i <= 2**31 - 1 for i in field.data or []):
            raise ValidationError(_l("Tick at least one row first."))


class ParticipantActionForm(BaseForm):
    """Shortlist or propose one participant; ``next`` returns to the page the action came from."""

    participant_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    unmet_checked = BooleanField(_l("I have checked the unmet requirements"))
    next = HiddenField()


class ProposeForm(ParticipantActionForm):
    """The confirmation of a proposal: an optional covering note, then ``confirmed``."""

    note = TextAreaField(
        _l("Covering note to the employer (optional)"),
        validators=[Optional(), Length(max=2000)],
        filters=[lambda text: text.strip() if text else text],
    )
    confirmed = HiddenField()


class ConceptsForm(BaseForm):
    # The lexicon, not the choices on the page, decides which ids are valid (service check).
    concepts = SelectMultipleField(_l("Occupations the matching uses"), validate_choice=False)
