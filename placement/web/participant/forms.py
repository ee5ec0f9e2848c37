"""Forms of the participant area: the profile (also used by counsellors), consent, erasure."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from placement import vocab
from placement.web.fields import (
    OWN_LEVEL_CHOICES,
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


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class ConsentForm(BaseForm):
    """Consent to share the profile with one named employer (given by the participant; the
    counsellors' form that records it adds a statement, see ``web/proposals/forms.py``)."""

    organisation_id = OptionalSelectField(
        _l("Employer"),
        coerce=_int_or_none,
        choices=[],
        validators=[DataRequired(message=_l("Choose an employer."))],
    )


class EraseForm(BaseForm):
    confirm = BooleanField(
        _l(
            "I understand: my profile, my consents, my proposals and my account are deleted and "
            "cannot be restored."
        ),
        validators=[DataRequired(message=_l("Please confirm that you want this."))],
    )


class LanguageEntryForm(Form):
    code = OptionalSelectField(
        _l("Language"), choices=choices([("", "—"), *vocab.PROFILE_LANGUAGES.items()]), default=""
    )
    level = OptionalSelectField(
        _l("Level"),
        choices=choices(
            [("", "—"), ("native", _l("first language"))] + [(x, x) for x in vocab.CEFR_LEVELS]
        ),
        default="",
    )

    def validate_level(self, field):
        if self.code.data and not field.data:
            raise ValidationError(_l("Choose a level for this language."))


class QualificationForm(Form):
    title = StringField(_l("Qualification"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (ISO code)"),
        validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. UA."))],
        filters=[lambda v: v.upper() if v else None],
    )
    year = IntegerField(_l("Year"), validators=[Optional(), within_limits("year")])
    recognition = SelectField(
        _l("Recognition"), choices=choices(vocab.RECOGNITION), default="not_applied"
    )
    reference_occupation = StringField(
        _l("German reference occupation"), validators=[Optional(), Length(max=200)]
    )


class ProfileForm(BaseForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(
        _l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[blank_to_none]
    )
    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=40)], filters=[blank_to_none]
    )
    profile_language = SelectField(
        _l("Language of your text"), choices=choices(vocab.PROFILE_LANGUAGES)
    )
    profile_text = TextAreaField(
        _l("About me: experience, training, wishes (any language)"),
        validators=[Optional(), Length(max=10000), Words()],
    )
    skills = ListField(_l("Skills (one per line)"))
    desired_occupations = ListField(_l("Desired occupations (one per line)"))
    languages = FieldList(FormField(LanguageEntryForm), min_entries=4, max_entries=8)
    german_level = OptionalSelectField(
        _l("German level (CEFR)"), choices=OWN_LEVEL_CHOICES, default=""
    )
    work_permit = SelectField(
        _l("Permission to work (residence document)"), choices=choices(vocab.WORK_PERMITS)
    )
    permit_expires = DateField(_l("Residence document valid until"), validators=[Optional()])
    qualifications = FieldList(FormField(QualificationForm), min_entries=2, max_entries=6)
    postcode = StringField(_l("Postcode"), validators=[Optional(), POSTCODE])
    max_commute_km = IntegerField(
        _l("Maximum commute (km)"), validators=[Optional(), within_limits("max_commute_km")]
    )
    hours_per_week = IntegerField(
        _l("Available hours per week"), validators=[Optional(), within_limits("hours_per_week")]
    )
    earliest_start = DateField(_l("Earliest start"), validators=[Optional()])
    phase = SelectField(_l("Process phase"), choices=choices(vocab.PHASES), coerce=int)
    consent_matching = BooleanField(
        _l("I agree that my profile is used to suggest jobs and internships to me.")
    )
    consent_contact = BooleanField(_l("My counsellor may contact me about offers."))

    @classmethod
    def for_participant(cls, participant) -> ProfileForm:
        """The form filled from a participant (languages are stored as plain dicts)."""
        languages = [SimpleNamespace(**entry) for entry in participant.languages or []]
        return cls(obj=participant, languages=languages)

    def profile_data(self) -> dict:
        """The validated data in the shape the participant services take."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["languages"] = [e for e in data["languages"] if e.get("code")]
        data["qualifications"] = [q for q in data["qualifications"] if q.get("title")]
        data["german_level"] = data["german_level"] or None
        return data
