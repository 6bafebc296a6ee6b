"""The base of every form: WTForms' own error messages come from the site's catalogue, and sent text is cleaned.

WTForms ships catalogues of its own, but its Arabic one lacks most plural forms and several messages, and its Russian
one has entries marked fuzzy: an Arabic trainee who typed too long a name was told so in English. Here every one of
its messages is in our catalogue, where the translation tests check it in all six languages.
"""
from flask import has_request_context, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict
from wtforms import Form as PlainForm

from training.hooks import request_translations
from training.unsent import give_back


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; WTForms asks for its translation when it needs it."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - extracted with `-k Nn_:1,2`
    """Mark a message with a plural for extraction."""
    return singular, plural


WTFORMS_MESSAGES = (  # exactly WTForms' own message ids (wtforms/locale/wtforms.pot); a test compares them
    N_("Invalid field name '%s'."),
    N_("Field must be equal to %(other_name)s."),
    Nn_("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    Nn_("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    Nn_("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    Nn_("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
)


class CatalogueTranslations:
    """What WTForms asks of a translations object, answered from the request's catalogue."""

    def gettext(self, string: str) -> str:
        """One message in the request's language."""
        return request_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a message that agrees with `n`, in the request's language."""
        return request_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


def stripped(value: str | None) -> str | None:
    """A field's text without surrounding spaces (a filter): spaces alone count as empty, and as no length."""
    return value.strip() if value else value


class Form(FlaskForm):
    """A Flask-WTF form whose built-in messages are translated by the site's catalogue.

    Shown again after it was sent too late (its session had ended), it holds what was typed (training/unsent.py).
    """

    def __init__(self, formdata=_Auto, **kwargs):
        if formdata is _Auto and has_request_context() and request.method == "GET":
            prefix = kwargs.get("prefix", "")
            formdata = give_back({prefix + name for name, _field in self._unbound_fields}) or _Auto
        super().__init__(formdata, **kwargs)

    class Meta:
        def get_translations(self, form) -> CatalogueTranslations:
            """Every form shares the one object; it looks the catalogue up per request."""
            return TRANSLATIONS

        def wrap_formdata(self, form, formdata):
            """What was sent, without NUL characters: no one types them, and PostgreSQL refuses them in text."""
            formdata = super().wrap_formdata(form, formdata)
            if not formdata:
                return formdata
            return MultiDict((key, value.replace("\x00", "") if isinstance(value, str) else value)
                             for key, value in formdata.items(multi=True))


class Subform(PlainForm):
    """A group of fields inside a Form (through FormField): translated the same way, with no token of its own."""

    Meta = Form.Meta
