"""Forms for cohorts: create and edit, enrol by username, join with a code, add a session date."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from training.form_dates import plausible
from training.form_i18n import Form
from training.forms import language_choices
from training.once import OnceField


def delivery_choices():
    """How a cohort meets."""
    return [("online", _l("Online")), ("in-person", _l("In person")), ("blended", _l("Blended"))]


def not_before_start(form, field) -> None:
    """An end date before the start date is a typing mistake."""
    if field.data and form.starts_on.data and field.data < form.starts_on.data:
        raise ValidationError(_l("The end date cannot be before the start date."))


class CohortForm(Form):
    """A cohort's details; programme and trainer choices are filled in by the view."""

    once = OnceField()  # creating twice by a double click makes two cohorts; editing twice changes nothing
    name = StringField(_l("Cohort name"), [DataRequired(), Length(max=120)])
    organisation = SelectField(_l("Organisation"), coerce=int)  # admins only; removed for everyone else
    programme = SelectField(_l("Programme"), [DataRequired()])
    language = SelectField(_l("Language of the sessions"), choices=language_choices)
    delivery = SelectField(_l("Delivery"), choices=delivery_choices, default="in-person")
    starts_on = DateField(_l("Start date"), [Optional(), plausible])
    ends_on = DateField(_l("End date"), [Optional(), plausible, not_before_start])
    location = StringField(_l("Place"), [Optional(), Length(max=120)])
    region = StringField(_l("Region"), [Optional(), Length(max=80)])
    trainers = SelectMultipleField(_l("Co-trainers"), coerce=int)


class EnrolForm(Form):
    """Enrol people who already have an account, by username."""

    usernames = TextAreaField(_l("Usernames"), [DataRequired(), Length(max=5000)])


class JoinCodeForm(Form):
    """A trainee types the code a trainer gave them."""

    code = StringField(_l("Group code"), [DataRequired(), Length(max=40)])


class SessionForm(Form):
    """A day the cohort met, for attendance."""

    held_on = DateField(_l("Session date"), [InputRequired(), plausible])
