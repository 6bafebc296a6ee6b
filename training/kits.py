"""Naloxone kit stock: what is on hand per form and lot, what expires soon, and handing kits out safely."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select

from app import db
from training.cohorts import Cohort, CohortTrainer, Membership
from training.fieldwork import KitHandout, KitReceipt
from training.models import Organisation, User

EXPIRY_WARNING_DAYS = 90


class NotEnoughStock(Exception):
    """A hand-out asked for more kits of a lot than are on hand."""

    def __init__(self, on_hand: int):
        super().__init__(on_hand)
        self.on_hand = on_hand


@dataclass(frozen=True)
class StockLine:
    """One form and lot: received, handed out, on hand, and the lot's expiry date."""

    form: str
    lot: str
    expires_on: date
    received: int
    handed_out: int

    @property
    def on_hand(self) -> int:
        """Kits of this lot still in stock."""
        return self.received - self.handed_out


def combine_stock(received: list[tuple], handed_out: list[tuple]) -> list[StockLine]:
    """Stock lines from (form, lot, expires_on, quantity) receipt sums and (form, lot, quantity) hand-out sums."""
    given = {(form, lot): quantity for form, lot, quantity in handed_out}
    lines = [StockLine(form, lot, expires_on, quantity, given.get((form, lot), 0))
             for form, lot, expires_on, quantity in received]
    return sorted(lines, key=lambda line: (line.expires_on, line.form, line.lot))


def in_stock(lines: list[StockLine]) -> list[StockLine]:
    """Lines with at least one kit on hand."""
    return [line for line in lines if line.on_hand > 0]


def expiring_soon(lines: list[StockLine], today: date, days: int = EXPIRY_WARNING_DAYS) -> list[StockLine]:
    """Lines on hand whose kits expire within the next `days` days (or have already expired)."""
    return [line for line in in_stock(lines) if line.expires_on <= today + timedelta(days=days)]


def is_expiring(expires_on: date, today: date, days: int = EXPIRY_WARNING_DAYS) -> bool:
    """Whether a kit expiring on this date should be highlighted."""
    return expires_on <= today + timedelta(days=days)


def stock_lines(organisation_id: int) -> list[StockLine]:
    """The organisation's stock per form and lot (two grouped queries, whatever the history's size)."""
    received = db.session.execute(
        select(KitReceipt.form, KitReceipt.lot, func.min(KitReceipt.expires_on), func.sum(KitReceipt.quantity))
        .where(KitReceipt.organisation_id == organisation_id).group_by(KitReceipt.form, KitReceipt.lot)
    ).all()
    handed_out = db.session.execute(
        select(KitHandout.form, KitHandout.lot, func.sum(KitHandout.quantity))
        .where(KitHandout.organisation_id == organisation_id).group_by(KitHandout.form, KitHandout.lot)
    ).all()
    return combine_stock([tuple(row) for row in received], [tuple(row) for row in handed_out])


def on_hand(organisation_id: int, form: str, lot: str) -> int:
    """Kits of one form and lot still on hand."""
    received = db.session.scalar(select(func.coalesce(func.sum(KitReceipt.quantity), 0)).where(
        KitReceipt.organisation_id == organisation_id, KitReceipt.form == form, KitReceipt.lot == lot))
    given = db.session.scalar(select(func.coalesce(func.sum(KitHandout.quantity), 0)).where(
        KitHandout.organisation_id == organisation_id, KitHandout.form == form, KitHandout.lot == lot))
    return int(received) - int(given)


def lot_expiry(organisation_id: int, form: str, lot: str) -> date | None:
    """The expiry date recorded when this lot was received, if it was."""
    return db.session.scalar(select(func.min(KitReceipt.expires_on)).where(
        KitReceipt.organisation_id == organisation_id, KitReceipt.form == form, KitReceipt.lot == lot))


def hand_out(handout: KitHandout) -> KitHandout:
    """Add a hand-out if its lot has enough kits on hand; raise NotEnoughStock otherwise (caller commits).

    Two clicks at once must not both pass. On PostgreSQL the organisation row is locked (SELECT ... FOR
    UPDATE), so a second hand-out for the same organisation waits until the first commits. SQLite ignores
    FOR UPDATE but has a single writer, and a POST's transaction begins IMMEDIATE (training/database.py):
    the second hand-out waits for the first to commit, then counts the stock, its own row included.
    """
    db.session.execute(select(Organisation.id).where(Organisation.id == handout.organisation_id).with_for_update())
    db.session.add(handout)
    db.session.flush()
    left = on_hand(handout.organisation_id, handout.form, handout.lot)
    if left < 0:
        db.session.rollback()
        raise NotEnoughStock(left + handout.quantity)
    return handout


def recipients(organisation_id: int, user: User, cohort_id: int | None = None) -> Select:
    """Who may receive kits: the trainer's cohort members, or the organisation's trainees and members."""
    members = select(Membership.user_id).join(Cohort, Cohort.id == Membership.cohort_id).where(
        Cohort.organisation_id == organisation_id)
    if cohort_id is not None:
        members = members.where(Cohort.id == cohort_id)
    elif user.role == "trainer":
        members = members.where(Cohort.id.in_(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)))
    query = select(User).order_by(User.username)
    if cohort_id is not None or user.role == "trainer":
        return query.where(User.id.in_(members))
    own_trainees = (User.organisation_id == organisation_id) & (User.role == "trainee")
    return query.where(own_trainees | User.id.in_(members))


def totals_handed_out(organisation_id: int, today: date) -> tuple[int, int]:
    """Kits handed out this calendar month and this calendar year (one query)."""
    month, year = today.replace(day=1), today.replace(month=1, day=1)
    in_month = func.sum(KitHandout.quantity).filter(KitHandout.handed_out_on >= month)
    row = db.session.execute(select(func.coalesce(in_month, 0), func.coalesce(func.sum(KitHandout.quantity), 0))
                             .where(KitHandout.organisation_id == organisation_id,
                                    KitHandout.handed_out_on >= year, KitHandout.handed_out_on <= today)).one()
    return int(row[0]), int(row[1])
