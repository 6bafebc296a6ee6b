"""The kit ledger: stock received, kits handed out, what expires soon, and a trainee's own kits."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app import db
from training import kits
from training.access import get_cohort_or_404, login_required, role_required
from training.fieldwork import KitHandout, KitReceipt
from training.form_dates import not_in_future, plausible
from training.form_i18n import Form, stripped
from training.models import Organisation
from training.once import OnceField, claim, resent

bp = Blueprint("kits", __name__, url_prefix="/kits")
MAX_QUANTITY = 10000
PAGE_SIZE = 20


def form_choices():
    """The naloxone products, as people call them."""
    return [("ampoule", _l("Injectable ampoule")), ("prefilled-syringe", _l("Prefilled syringe")),
            ("nasal-spray", _l("Nasal spray"))]


QUANTITY = [InputRequired(), NumberRange(1, MAX_QUANTITY, _l("Enter a number from 1 to %(max)d.", max=MAX_QUANTITY))]


class ReceiptForm(Form):
    """Kits received into stock."""

    once = OnceField()
    form = SelectField(_l("Form"), choices=form_choices)
    quantity = IntegerField(_l("Number of kits"), validators=QUANTITY)
    lot = StringField(_l("Lot number"), validators=[DataRequired(), Length(max=40)], filters=[stripped])
    expires_on = DateField(_l("Expiry date"), validators=[InputRequired(), plausible])
    received_on = DateField(_l("Date received"), default=date.today, validators=[InputRequired(), not_in_future])


class HandoutForm(Form):
    """Kits handed out to a trainee or to a walk-in."""

    once = OnceField()
    recipient = SelectField(_l("Given to"), choices=[])
    form = SelectField(_l("Form"), choices=form_choices)
    quantity = IntegerField(_l("Number of kits"), default=1, validators=QUANTITY)
    lot = StringField(_l("Lot number"), validators=[DataRequired(), Length(max=40)], filters=[stripped])
    expires_on = DateField(_l("Expiry date"), validators=[Optional(), plausible])
    handed_out_on = DateField(_l("Date handed out"), default=date.today,
                              validators=[InputRequired(), not_in_future])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=120)], filters=[stripped])


def organisation_or_404(org_id: int | None) -> Organisation | None:
    """The organisation whose ledger this is: the user's own; an admin's choice (None until chosen)."""
    if current_user.role != "admin":
        if current_user.organisation_id is None or org_id not in (None, current_user.organisation_id):
            abort(404)
        org_id = current_user.organisation_id
    if org_id is None:
        return None
    return db.session.get(Organisation, org_id) or abort(404)


def org_arg(org: Organisation) -> int | None:
    """The ?org= an admin's links must carry (others never need it)."""
    return org.id if current_user.role == "admin" else None


@bp.get("/")
@role_required("trainer", "coordinator")
def index():
    """Stock on hand per form and lot, what expires soon, recent receipts and hand-outs, totals."""
    org = organisation_or_404(request.args.get("org", type=int))
    if org is None:
        organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
        return render_template("kits/choose.html", organisations=organisations)
    today = date.today()
    lines = kits.stock_lines(org.id)
    receipts = db.paginate(select(KitReceipt).where(KitReceipt.organisation_id == org.id)
                           .order_by(KitReceipt.received_on.desc(), KitReceipt.id.desc()),
                           page=request.args.get("rpage", 1, type=int), per_page=PAGE_SIZE, error_out=False)
    handouts = db.paginate(select(KitHandout).options(joinedload(KitHandout.user))
                           .where(KitHandout.organisation_id == org.id)
                           .order_by(KitHandout.handed_out_on.desc(), KitHandout.id.desc()),
                           page=request.args.get("hpage", 1, type=int), per_page=PAGE_SIZE, error_out=False)
    month, year = kits.totals_handed_out(org.id, today)
    return render_template("kits/index.html", org=org, org_id=org_arg(org), lines=kits.in_stock(lines),
                           expiring=kits.expiring_soon(lines, today), receipts=receipts, handouts=handouts,
                           month=month, year=year, today=today, form_names=dict(form_choices()),
                           is_expiring=kits.is_expiring)


@bp.route("/receive", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def receive():
    """Record kits received into the organisation's stock."""
    org = organisation_or_404(request.args.get("org", type=int)) or abort(404)
    form = ReceiptForm()
    ledger = url_for("kits.index", org=org_arg(org))
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:
            return resent(form.once.data, ledger)
        submission.outcome = ledger
        db.session.add(KitReceipt(organisation_id=org.id, form=form.form.data, quantity=form.quantity.data,
                                  lot=form.lot.data, expires_on=form.expires_on.data,
                                  received_on=form.received_on.data, recorded_by_id=current_user.id))
        db.session.commit()
        flash(ngettext("%(num)d kit added to the stock.", "%(num)d kits added to the stock.", form.quantity.data),
              "success")
        return redirect(ledger)
    return render_template("kits/receive.html", form=form, org=org, org_id=org_arg(org))


@bp.route("/hand-out", methods=["GET", "POST"])
@role_required("trainer", "coordinator")
def hand_out():
    """Record kits handed out to a trainee or a walk-in, never more than the lot has on hand."""
    cohort_id = request.args.get("cohort", type=int)
    cohort = get_cohort_or_404(cohort_id, current_user) if cohort_id is not None else None
    org = organisation_or_404(cohort.organisation_id if cohort else request.args.get("org", type=int)) or abort(404)
    people = db.session.scalars(kits.recipients(org.id, current_user, cohort_id)).all()
    form = HandoutForm()
    form.recipient.choices = [("", _("A walk-in (no account)"))] + [(str(p.id), p.name_and_username) for p in people]
    lines = kits.in_stock(kits.stock_lines(org.id))
    ledger = url_for("kits.index", org=org_arg(org))
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:
            return resent(form.once.data, ledger)
        submission.outcome = ledger
        expires_on = form.expires_on.data or kits.lot_expiry(org.id, form.form.data, form.lot.data)
        handout = KitHandout(organisation_id=org.id, user_id=int(form.recipient.data or 0) or None,
                             cohort_id=cohort.id if cohort else None, form=form.form.data,
                             quantity=form.quantity.data, lot=form.lot.data, expires_on=expires_on or date.today(),
                             handed_out_on=form.handed_out_on.data, place=form.place.data or None,
                             handed_out_by_id=current_user.id)
        try:
            kits.hand_out(handout)
        except kits.NotEnoughStock as refused:
            form.quantity.errors = [ngettext("Only %(num)d kit of this lot is in stock.",
                                             "Only %(num)d kits of this lot are in stock.", refused.on_hand)]
        else:
            db.session.commit()
            flash(ngettext("%(num)d kit recorded as handed out.", "%(num)d kits recorded as handed out.",
                           handout.quantity), "success")
            return redirect(url_for("kits.index", org=org_arg(org)))
    return render_template("kits/hand_out.html", form=form, org=org, org_id=org_arg(org), cohort=cohort,
                           lines=lines, form_names=dict(form_choices()))


@bp.get("/mine")
@login_required
def mine():
    """The kits recorded for me, with their expiry dates."""
    rows = db.session.scalars(select(KitHandout).where(KitHandout.user_id == current_user.id)
                              .order_by(KitHandout.handed_out_on.desc(), KitHandout.id.desc())).all()
    return render_template("kits/mine.html", handouts=rows, today=date.today(), form_names=dict(form_choices()))
