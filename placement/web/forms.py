"""Forms shared by several areas. Every field validates and reports next to itself."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms import DateField as _DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from placement import limits, vocab
from placement.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

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


class OptionalSelectField(SelectField):
    """A select whose empty value means "not given" (e.g. no German level required)."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        super().pre_validate(form)


def _blank_to_none(value):
    return value or None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class VacancyForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(vocab.VACANCY_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(min=20, max=20000), Words()]
    )
    occupation = StringField(
        _l("Occupation"), validators=[Optional(), Length(max=200)], filters=[_blank_to_none]
    )
    skills = ListField(_l("Skills (one per line)"))
    german_level = OptionalSelectField(
        _l("Required German level"), choices=LEVEL_CHOICES, default=""
    )
    requires_recognition = BooleanField(
        _l("Regulated profession: recognition (Anerkennung) required")
    )
    postcode = StringField(_l("Postcode of the workplace"), validators=[DataRequired(), POSTCODE])
    radius_km = IntegerField(
        _l("Radius (km)"), validators=[Optional(), NumberRange(min=1, max=500)]
    )
    hours_per_week = IntegerField(
        _l("Hours per week"), validators=[InputRequired(), NumberRange(min=1, max=48)]
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    duration_weeks = IntegerField(
        _l("Duration in weeks (internships)"), validators=[Optional(), NumberRange(min=1, max=104)]
    )
    status = SelectField(_l("Status"), choices=choices(vocab.VACANCY_STATUSES))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "internship" and not self.duration_weeks.data:
            if not self.duration_weeks.errors:
                self.duration_weeks.errors = [_l("An internship needs a duration.")]
            valid = False
        return valid


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
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1950, max=2100)])
    recognition = SelectField(
        _l("Recognition"), choices=choices(vocab.RECOGNITION), default="not_applied"
    )
    reference_occupation = StringField(
        _l("German reference occupation"), validators=[Optional(), Length(max=200)]
    )


class ProfileForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(
        _l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_blank_to_none]
    )
    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=40)], filters=[_blank_to_none]
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
        _l("Maximum commute (km)"), validators=[Optional(), NumberRange(min=1, max=300)]
    )
    hours_per_week = IntegerField(
        _l("Available hours per week"), validators=[Optional(), NumberRange(min=1, max=48)]
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


class UserForm(PasswordMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(vocab.ROLES))
    organisation_id = SelectField(_l("Organisation (employers)"), coerce=int, choices=[])

    def validate_organisation_id(self, field):
        if self.role.data == "employer" and not field.data:
            raise ValidationError(_l("An employer account belongs to an organisation."))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=60)])
    street = StringField(_l("Street"), validators=[Optional(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), POSTCODE])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    website = URLField(
        _l("Website"), validators=[Optional(), URL(), Length(max=300)], filters=[_blank_to_none]
    )
    description = TextAreaField(
        _l("About the organisation"), validators=[Optional(), Length(max=5000), Words()]
    )
    employees = IntegerField(
        _l("Employees"), validators=[Optional(), NumberRange(min=1, max=1_000_000)]
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Email(), Length(max=254)],
        filters=[_blank_to_none],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
