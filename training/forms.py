"""Account forms: sign-up, log-in, profile, password and language."""
import re
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from app import LANGUAGES
from training.form_i18n import Form
from training.layout import LANGUAGE_NAMES
from training.once import OnceField
from training.passwords import MAX_LENGTH, MIN_LENGTH, password_problem

USERNAME = re.compile(r"^[\w.-]{3,40}$")  # letters of any script, digits, dot, dash, underscore
PASSWORD_MESSAGES = {
    "too-short": _l("Use at least %(count)d characters.", count=MIN_LENGTH),
    "too-long": _l("Use at most %(count)d characters.", count=MAX_LENGTH),
    "too-common": _l("This password is too common. Choose one that is harder to guess."),
    "contains-username": _l("Do not put your username in your password."),
}
NOT_SAYING = ("", _l("Prefer not to say"))


def audience_choices():
    """Who the training is for, as the person describes themselves."""
    return [
        NOT_SAYING,
        ("peer", _l("A person who uses drugs, or a peer worker")),
        ("family", _l("A family member or friend")),
        ("responder", _l("A first responder (police, outreach, health worker)")),
        ("provider", _l("A service provider (drug treatment or harm reduction)")),
    ]


def sex_choices():
    """Sex, only for anonymous counts in reports."""
    return [NOT_SAYING, ("female", _l("Female")), ("male", _l("Male")), ("other", _l("Another sex"))]


def age_choices():
    """Age bands, only for anonymous counts in reports."""
    bands = [("under-18", _l("Under 18"))] + [(b, b) for b in ("18-24", "25-34", "35-44", "45-54")]
    return [NOT_SAYING, *bands, ("55-plus", _l("55 or older"))]


def language_choices():
    """Every interface language, named in itself."""
    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


def role_choices():
    """The roles an admin can give, in the interface language."""
    return [("trainee", _l("Trainee")), ("trainer", _l("Trainer")), ("coordinator", _l("Coordinator")),
            ("admin", _l("Administrator"))]


def code_labels() -> dict[str, dict]:
    """The words the coded profile fields' stored values stand for, as the forms offer them."""
    return {"language": dict(language_choices()), "audience": dict(audience_choices()), "sex": dict(sex_choices()),
            "age_band": dict(age_choices()), "role": dict(role_choices()), "verify_name": dict(verify_choices())}


def verify_choices():
    """How the public verify page may show a certificate holder's name (a profile choice, kept with the others)."""
    return [("full", _l("My name as printed")), ("initials", _l("My initials only")),
            ("hidden", _l("No name: only that the certificate is valid"))]


def check_new_password(form, field) -> None:
    """Refuse short and common passwords with a message in the user's language."""
    problem = password_problem(field.data or "", form.data.get("username") or "")
    if problem:
        raise ValidationError(PASSWORD_MESSAGES[problem])


def check_username(form, field) -> None:
    """Allow letters, digits, dots, dashes and underscores; nothing that could forge a log line."""
    if not USERNAME.match(field.data or ""):
        raise ValidationError(_l("Use 3 to 40 letters or digits; dots, dashes and underscores are allowed."))


class AssentField(BooleanField):
    """An under-18's tick that they read what is stored; saved as the time of the first tick."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type = "BooleanField"  # templates lay it out as the checkbox it is

    def populate_obj(self, obj, name) -> None:
        """Record when assent was first given; unticking later keeps that record."""
        if self.data and not getattr(obj, name, None):
            setattr(obj, name, datetime.now(UTC).replace(tzinfo=None))


class ProfileFields(Form):
    """The optional fields a person may fill in about themselves."""

    display_name = StringField(_l("Name to show (a nickname is fine)"), [Optional(), Length(max=80)])
    language = SelectField(_l("Language"), choices=language_choices, default="en")
    audience = SelectField(_l("I am taking this training as"), choices=audience_choices, default="")
    sex = SelectField(_l("Sex"), choices=sex_choices, default="")
    age_band = SelectField(_l("Age"), choices=age_choices, default="")
    region = StringField(_l("Region or city"), [Optional(), Length(max=80)])
    assented_at = AssentField(_l("I am under 18: I have read what is stored about me and I agree."))

    def validate_assented_at(self, field) -> None:
        """Someone under 18 must tick the assent box; it is checked here, not only in the browser."""
        if self.age_band.data == "under-18" and not field.data:
            raise ValidationError(_l("If you are under 18, please read what is stored and tick the box."))


# A number to dial, for a person or an organisation.
EMERGENCY_NUMBER = Regexp(r"^[0-9+ -]{2,20}$", message=_l("Use digits only, for example 112 or 911."))


class ProfileForm(ProfileFields):
    """The profile page: what sign-up asks, and the emergency number, which only matters once learning."""

    emergency_number = StringField(_l("Emergency number where you live"), [Optional(), EMERGENCY_NUMBER])


class SignupForm(ProfileFields):
    """Sign-up: only a username, a password and consent are required."""

    once = OnceField()
    username = StringField(_l("Username"), [DataRequired(), check_username])
    password = PasswordField(_l("Password"), [DataRequired(), check_new_password])
    confirm = PasswordField(
        _l("Repeat the password"), [DataRequired(), EqualTo("password", _l("The two passwords differ."))]
    )
    consent = BooleanField(_l("I have read what is stored and agree."), [DataRequired()])


class LoginForm(Form):
    """Log in with a username and a password."""

    username = StringField(_l("Username"), [DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), [DataRequired(), Length(max=MAX_LENGTH)])
    shared = BooleanField(_l("This is a shared phone or computer"))


class PasswordForm(Form):
    """Change one's password; the current one proves it is really them."""

    current = PasswordField(_l("Current password"), [DataRequired()])
    password = PasswordField(_l("New password"), [DataRequired(), check_new_password])
    confirm = PasswordField(
        _l("Repeat the new password"), [DataRequired(), EqualTo("password", _l("The two passwords differ."))]
    )


class LanguageForm(Form):
    """The language switcher in the page header."""

    language = SelectField(_l("Language"), choices=language_choices)
