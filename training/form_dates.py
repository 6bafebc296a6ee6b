"""Checks for dates typed into forms: a year typed wrong is caught here, not stored or crashing a report."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def plausible(form, field) -> None:
    """Refuse dates outside 2000 to 2100: no date this site records lies there, and far ones break date sums."""
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


def not_in_future(form, field) -> None:
    """Refuse dates after today (something that has happened), and implausible ones."""
    plausible(form, field)
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date is in the future."))
