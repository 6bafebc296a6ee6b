"""The anonymous overdose-response report: its form, and storing and counting reports without identifying anyone."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app import db
from training.fieldwork import OverdoseReport
from training.form_dates import not_in_future
from training.form_i18n import Form
from training.models import ModuleProgress, User
from training.once import OnceField

CALLED = {"yes": True, "no": False, "unsure": None}


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def sign_choices():
    """What a witness may have seen."""
    return [("breathing", _l("Not breathing, or slow breathing")), ("unresponsive", _l("Did not respond")),
            ("blue-lips", _l("Blue or grey lips")), ("pinpoint", _l("Very small (pinpoint) pupils")),
            ("snoring", _l("Snoring or gurgling sounds")), ("other", _l("Something else"))]


def helped_choices():
    """What helped the response."""
    return [("training", _l("The training")), ("kit", _l("Having a naloxone kit at hand")),
            ("others", _l("Other people helped")), ("services", _l("Emergency services came"))]


def barrier_choices():
    """What got in the way."""
    return [("police", _l("Fear of the police")), ("no-naloxone", _l("No naloxone")),
            ("unsure", _l("Did not know what to do")), ("phone", _l("No phone or no signal")),
            ("other", _l("Something else"))]


def form_choices():
    """The naloxone product used, if any."""
    return [("", _l("None, or not sure")), ("ampoule", _l("Injectable ampoule")),
            ("prefilled-syringe", _l("Prefilled syringe")), ("nasal-spray", _l("Nasal spray"))]


def yes_no():
    """Yes or no."""
    return [("yes", _l("Yes")), ("no", _l("No"))]


def called_choices():
    """Whether emergency services were called."""
    return [("yes", _l("Yes")), ("no", _l("No")), ("unsure", _l("Not sure"))]


def outcome_choices():
    """What happened to the person helped."""
    return [("alive", _l("They lived")), ("died", _l("They died")), ("unknown", _l("I do not know"))]


class ReportForm(Form):
    """What happened, in a few taps; nothing that names anyone."""

    once = OnceField()
    occurred_on = DateField(_l("When did it happen?"), default=date.today, validators=[InputRequired(), not_in_future])
    region = StringField(_l("Town or region (optional)"), validators=[Optional(), Length(max=80)])
    signs = CheckboxesField(_l("What did you see?"), choices=sign_choices)
    naloxone_given = RadioField(_l("Was naloxone given?"), choices=yes_no,
                                validators=[InputRequired(_l("Choose yes or no."))])
    doses = IntegerField(_l("How many doses?"), validators=[
        Optional(), NumberRange(0, 10, _l("Enter a number from 0 to 10."))])
    form = SelectField(_l("Which naloxone?"), choices=form_choices, validators=[Optional()])
    emergency_called = RadioField(_l("Were emergency services called?"), validators=[
        InputRequired(_l("Choose one answer."))], choices=called_choices)
    outcome = RadioField(_l("What happened to the person?"), validators=[InputRequired(_l("Choose one answer."))],
                         choices=outcome_choices)
    helped = CheckboxesField(_l("What helped?"), choices=helped_choices)
    barriers = CheckboxesField(_l("What got in the way?"), choices=barrier_choices)
    notes = TextAreaField(_l("Anything else (optional)"), validators=[
        Optional(), Length(max=500, message=_l("Keep it under %(max)d characters.", max=500))])


def reporter_facts(user: User | None) -> tuple[bool, bool]:
    """(trained, under 18) for a logged-in reporter; who they are is never stored."""
    if user is None:
        return False, False
    trained = db.session.scalar(select(ModuleProgress.id).where(
        ModuleProgress.user_id == user.id, ModuleProgress.completed_at.is_not(None)).limit(1)) is not None
    return trained, user.age_band == "under-18"


def build_report(data: dict, organisation_id: int | None, trained: bool, under_18: bool) -> OverdoseReport:
    """A report row from the form's data: a date, never a time, and no person."""
    given = data["naloxone_given"] == "yes"
    return OverdoseReport(
        organisation_id=organisation_id, occurred_on=data["occurred_on"], region=(data.get("region") or "").strip()
        or None, signs=list(data.get("signs") or []), naloxone_given=given,
        doses=data.get("doses") if given else 0, form=(data.get("form") or None) if given else None,
        emergency_called=CALLED[data["emergency_called"]], outcome=data["outcome"],
        helped=list(data.get("helped") or []), barriers=list(data.get("barriers") or []),
        notes=(data.get("notes") or "").strip() or None, reporter_trained=trained, reporter_under_18=under_18,
        created_on=date.today())


def visible_reports(user: User) -> Select:
    """Reports a coordinator may see (their organisation's) or all of them (admin)."""
    query = select(OverdoseReport)
    if user.role != "admin":
        query = query.where(OverdoseReport.organisation_id == user.organisation_id)
    return query


@dataclass(frozen=True)
class Totals:
    """Counts over every visible report, young reporters included."""

    reports: int
    alive: int
    died: int
    naloxone_given: int
    young: int


def totals(query: Select) -> Totals:
    """Counts for the reports a query selects, in one query."""
    sub = query.subquery()

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(select(func.count(), count_if(sub.c.outcome == "alive"),
                                    count_if(sub.c.outcome == "died"), count_if(sub.c.naloxone_given),
                                    count_if(sub.c.reporter_under_18)).select_from(sub)).one()
    return Totals(*(int(value) for value in row))
