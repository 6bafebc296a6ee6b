"""The organisation settings form, and the words that name each setting in the audit trail."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from training.form_i18n import Form, Subform
from training.forms import EMERGENCY_NUMBER
from training.layout import SWITCHER_CHOICES

# The setting each stored code names; the form's labels and the audit trail's details both read them.
SETTING_LABELS = {
    "name": _l("Organisation name"),
    "country": _l("Country"),
    "emergency_number": _l("Emergency number"),
    "legal_note": _l("Local legal note"),
    "paper_size": _l("Paper size"),
    "signatory_name": _l("Signatory's name"),
    "signatory_title": _l("Signatory's title"),
    "signatory_titles": _l("Signatory's title in each language"),
    "retention_months": _l("Delete inactive trainee accounts after (months)"),
    "logo": _l("Logo"),
}
SETTINGS = ("name", "country", "emergency_number", "legal_note", "paper_size", "signatory_name",
            "signatory_title", "retention_months")  # the plain fields save_form copies


def paper_sizes() -> list[tuple[str, str]]:
    """The paper sizes certificates can be printed on."""
    return [("A4", "A4"), ("Letter", "Letter")]


class SignatoryTitles(Subform):
    """The signatory's title as a certificate in each language prints it; every one is optional."""


# One field per language, named by its code and labelled in that language, for whoever writes that translation.
for _code, _name in SWITCHER_CHOICES:
    setattr(SignatoryTitles, _code, StringField(_name, [Optional(), Length(max=120)]))


class OrganisationForm(Form):
    """An organisation's name and the settings printed on its certificates."""

    name = StringField(SETTING_LABELS["name"], [DataRequired(), Length(max=120)])
    country = StringField(SETTING_LABELS["country"], [Optional(), Length(max=80)])
    emergency_number = StringField(SETTING_LABELS["emergency_number"], [DataRequired(), EMERGENCY_NUMBER])
    legal_note = TextAreaField(SETTING_LABELS["legal_note"], [Optional(), Length(max=2000)])
    paper_size = SelectField(SETTING_LABELS["paper_size"], choices=paper_sizes, default="A4")
    signatory_name = StringField(SETTING_LABELS["signatory_name"], [Optional(), Length(max=120)])
    signatory_title = StringField(SETTING_LABELS["signatory_title"], [Optional(), Length(max=120)])
    signatory_titles = FormField(SignatoryTitles, _l("The title in each language (optional)"))
    retention_months = IntegerField(SETTING_LABELS["retention_months"],
                                    [Optional(), NumberRange(min=1, max=240)])
    logo = FileField(_l("Logo (PNG or JPEG, at most 512 KB)"),
                     [FileAllowed(["png", "jpg", "jpeg"], _l("The logo must be a PNG or JPEG image."))])
    remove_logo = BooleanField(_l("Remove the current logo"))
