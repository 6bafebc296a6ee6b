"""Forms of the certificates pages: the holder's settings and the coordinator's actions."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from training.content import catalog
from training.form_i18n import Form, stripped
from training.forms import verify_choices
from training.once import OnceField


def programme_choices():
    """Every programme, titled in the page's language."""
    language = str(get_locale())
    return [(p.slug, p.title.get(language) or p.title["en"]) for p in catalog().programmes.values()]


class SettingsForm(Form):
    """The name to print on new certificates, and what the verify page shows of it."""

    certificate_name = StringField(_l("Name to print on my certificates"), validators=[Optional(), Length(max=120)])
    verify_name = RadioField(_l("When someone checks my certificate code, show"), choices=verify_choices,
                             validators=[DataRequired()])
    reprint = BooleanField(_l("Also print my current certificates again with this name"))


class AwardForm(Form):
    """A certificate awarded by hand, with the reason for the exception."""

    once = OnceField()
    username = StringField(_l("Username of the person"), validators=[DataRequired(), Length(max=40)])
    programme = SelectField(_l("Programme"), choices=programme_choices, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for the exception"), validators=[DataRequired(), Length(min=10, max=2000)],
                           filters=[stripped])


class RevokeForm(Form):
    """Why a certificate no longer stands (kept private)."""

    reason = TextAreaField(_l("Reason (private, never shown publicly)"),
                           validators=[DataRequired(), Length(min=5, max=2000)], filters=[stripped])
    # One tap must not revoke someone's certificate: it cannot be undone, and the verify page says so at once.
    understood = BooleanField(_l("I understand that this cannot be undone. The verify page will say this certificate "
                              "is revoked."),
                           validators=[DataRequired(_l("Tick the box to confirm, or leave this page to keep the "
                                                       "certificate."))])


class ReissueForm(Form):
    """A corrected copy: the name to print (the page fills in the printed one) and a tick to confirm."""

    name = StringField(_l("Name to print on the new certificate"), filters=[stripped],
                       validators=[DataRequired(_l("Type the name to print on the certificate.")), Length(max=120)])
    # One tap must not replace a certificate: its old code stops verifying as valid at once.
    checked = BooleanField(_l("I have checked the name. The old certificate's code will say it was replaced."),
                           validators=[DataRequired(_l("Tick the box to confirm, or leave this page to keep the "
                                                       "certificate."))])


class RegisterSearch(Form):
    """Find certificates by part of the printed name or username, or by their code (read from the query string)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Name, username or certificate code"), [Length(max=120)], filters=[stripped])
