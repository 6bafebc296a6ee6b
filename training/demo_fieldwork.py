"""Demo field records: kit stock and hand-outs, and anonymous overdose reports."""
from datetime import date, timedelta

from sqlalchemy import select

from app import db
from training.demo import ORGANISATIONS
from training.fieldwork import KitHandout, KitReceipt, OverdoseReport
from training.models import Organisation, User

DEMO_LOT_PREFIX = "DEMO-"
# (form, lot suffix, quantity, days until expiry); the short-lived lots show the 90-day warning.
RECEIPTS = (("nasal-spray", "NS-24A", 60, 45), ("nasal-spray", "NS-25B", 120, 500),
            ("ampoule", "AMP-11", 200, 70), ("prefilled-syringe", "PFS-07", 40, 300))
# (days ago occurred, region, signs, naloxone given, doses, form, emergency called, outcome, helped, barriers)
REPORTS = (
    (3, "Bishkek", ["breathing", "unresponsive"], True, 1, "nasal-spray", True, "alive", ["training", "kit"], []),
    (9, "Bishkek", ["blue-lips", "pinpoint"], True, 2, "ampoule", False, "alive", ["kit"], ["police"]),
    (14, "Osh", ["unresponsive", "snoring"], False, 0, None, True, "died", ["services"], ["no-naloxone"]),
    (20, None, ["breathing"], True, 1, "nasal-spray", None, "alive", ["training", "others"], ["phone"]),
    (27, "Chui", ["unresponsive"], True, 3, "ampoule", True, "alive", ["kit", "services"], []),
    (33, "Bishkek", ["blue-lips"], False, 0, None, False, "unknown", [], ["unsure", "police"]),
    (41, "Kyiv", ["breathing", "pinpoint"], True, 2, "nasal-spray", True, "alive", ["training"], []),
    (48, "Kyiv", ["snoring"], True, 1, "prefilled-syringe", False, "alive", ["others"], ["police"]),
    (55, "Bila Tserkva", ["unresponsive", "other"], False, 0, None, True, "died", [], ["no-naloxone", "phone"]),
    (62, "Kyiv", ["breathing"], True, 2, "nasal-spray", None, "unknown", ["kit"], ["other"]),
    (70, "Osh", ["pinpoint", "blue-lips"], True, 1, "ampoule", True, "alive", ["training", "services"], []),
    (85, "Bishkek", ["unresponsive"], True, 1, "nasal-spray", False, "alive", ["kit", "others"], ["police"]),
)


def demo_organisations() -> list[Organisation]:
    """The demo organisations that exist (load_demo creates them)."""
    names = [fields["name"] for fields in ORGANISATIONS]
    return list(db.session.scalars(select(Organisation).where(Organisation.name.in_(names)).order_by(Organisation.id)))


def add_stock(org: Organisation, today: date) -> None:
    """Receipts for every demo lot and a few hand-outs (to the demo trainee and to walk-ins)."""
    trainee = db.session.scalar(select(User).where(User.username == "trainee", User.organisation_id == org.id))
    for index, (form, suffix, quantity, days) in enumerate(RECEIPTS):
        lot, expires_on = f"{DEMO_LOT_PREFIX}{suffix}", today + timedelta(days=days)
        db.session.add(KitReceipt(organisation_id=org.id, form=form, quantity=quantity, lot=lot,
                                  expires_on=expires_on, received_on=today - timedelta(days=120 - index)))
        for week in range(index + 2):
            user = trainee if trainee is not None and week == 0 and index < 2 else None
            db.session.add(KitHandout(organisation_id=org.id, user_id=user.id if user else None, form=form,
                                      quantity=2 if user else 5, lot=lot, expires_on=expires_on,
                                      handed_out_on=today - timedelta(days=7 * week + index),
                                      place=None if user else "Outreach van"))


def add_reports(orgs: list[Organisation], today: date) -> None:
    """A dozen anonymous reports with varied outcomes and barriers; one from a young person."""
    for number, (days, region, signs, given, doses, form, called, outcome, helped, barriers) in enumerate(REPORTS):
        org = orgs[1] if region in ("Kyiv", "Bila Tserkva") and len(orgs) > 1 else orgs[0]
        db.session.add(OverdoseReport(
            organisation_id=org.id, occurred_on=today - timedelta(days=days), region=region, signs=signs,
            naloxone_given=given, doses=doses, form=form, emergency_called=called, outcome=outcome, helped=helped,
            barriers=barriers, notes="Stayed with him until the ambulance came." if number == 0 else None,
            reporter_trained=number % 3 != 2, reporter_under_18=number == 5, created_on=today - timedelta(days=days)))


def load_demo_fieldwork(today: date | None = None) -> bool:
    """Add the demo field records once; False when they are already there (or the demo orgs are missing)."""
    today = today or date.today()
    orgs = demo_organisations()
    already = db.session.scalar(select(KitReceipt.id).where(KitReceipt.lot.startswith(DEMO_LOT_PREFIX)).limit(1))
    if not orgs or already is not None:
        return False
    for org in orgs:
        add_stock(org, today)
    add_reports(orgs, today)
    db.session.commit()
    return True
