"""The coordinator's side: the register, expiring certificates, exceptions, awards, revocation and reissue."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from app import db
from certificates.codes import normalise_code
from certificates.eligibility import RENEWAL_WINDOW_DAYS, status
from certificates.forms import AwardForm, RegisterSearch, ReissueForm, RevokeForm
from certificates.issuing import award_manually, chosen_name, exceptions, expiring, printable_counts, reissue, revoke
from certificates.models import Certificate
from certificates.views import bp
from training.access import role_required, visible_cohorts
from training.auth import normalise_username
from training.cohorts import Cohort
from training.content import catalog
from training.models import User, utcnow
from training.once import claim, resent
from training.unsent import give_back

REGISTER_LIMIT = 500  # cohorts listed for printing
PAGE_SIZE = 100  # certificates per page of the register


def scope() -> int | None:
    """The organisation a coordinator manages; None for an admin, who sees every organisation."""
    return None if current_user.role == "admin" else current_user.organisation_id


def get_managed_or_404(certificate_id: int) -> Certificate:
    """A certificate of the coordinator's organisation (any for an admin), else 404."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.withdrawn_at or (scope() is not None and
                                                          certificate.organisation_id != scope()):
        abort(404)
    return certificate


def matching(term: str):
    """A certificate whose printed name or holder's username contains the term, whatever its case, or its code."""
    # SQLite changes the case of ASCII letters only, so the ways a name is usually written are tried as well:
    # "олег" then finds "Олег Петренко" there too. PostgreSQL's lower() covers the rest.
    variants = {term, term.lower(), term.upper(), term.capitalize(), term.title()}
    conditions = [Certificate.name_printed.icontains(term, autoescape=True),
                  *(Certificate.name_printed.contains(variant, autoescape=True) for variant in variants),
                  User.username.contains(normalise_username(term), autoescape=True)]
    code = normalise_code(term)  # typed with or without dashes, in any case
    if code is not None:
        conditions.append(Certificate.code == code)
    return or_(*conditions)


def register_query(standing: bool, term: str | None):
    """The organisation's certificates that stand, by name, or that were revoked or replaced, newest first."""
    ended = or_(Certificate.revoked_at.is_not(None), Certificate.superseded_at.is_not(None))
    query = select(Certificate).where(Certificate.withdrawn_at.is_(None), ~ended if standing else ended)
    if scope() is not None:
        query = query.where(Certificate.organisation_id == scope())
    if term:
        query = query.outerjoin(User, User.id == Certificate.user_id).where(matching(term))
    if standing:
        return query.order_by(Certificate.name_printed, Certificate.id)
    ended_at = func.coalesce(Certificate.revoked_at, Certificate.superseded_at)
    return query.order_by(ended_at.desc(), Certificate.id.desc())


@bp.get("/manage")
@role_required("coordinator")
def manage():
    """Expiring in the next 60 days, exceptions, printing, and the register, searched and a page at a time."""
    today = utcnow().date()
    search = RegisterSearch(formdata=request.args)
    term = (search.q.data or None) if search.validate() else None
    register = db.paginate(register_query(True, term), page=request.args.get("page", 1, type=int),
                           per_page=PAGE_SIZE, error_out=False)
    ended = db.paginate(register_query(False, term), page=request.args.get("ended_page", 1, type=int),
                        per_page=PAGE_SIZE, error_out=False)
    cohorts = list(db.session.scalars(visible_cohorts(current_user).where(Cohort.archived_at.is_(None))
                                      .order_by(Cohort.name).limit(REGISTER_LIMIT)))
    return render_template(
        "certificates/manage.html", soon=expiring(scope(), RENEWAL_WINDOW_DAYS, today), exceptions=exceptions(scope()),
        search=search, term=term, register=register, ended=ended, today=today, content=catalog(), status=status,
        cohorts=cohorts, printable=printable_counts([c.id for c in cohorts], today),
    )


@bp.route("/award", methods=["GET", "POST"])
@role_required("coordinator")
def award():
    """Award a certificate by hand, recording why the usual requirements were waived."""
    form = AwardForm()
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:  # a double click: the first click awarded it
            return resent(form.once.data, url_for("certificates.manage"))
        user = db.session.scalar(select(User).where(User.username == normalise_username(form.username.data)))
        if user is None or (scope() is not None and user.organisation_id != scope()):
            form.username.errors.append(_("Nobody in your organisation has this username."))
        elif award_manually(user, form.programme.data, form.reason.data, current_user, utcnow()) is None:
            form.programme.errors.append(_("This person already holds a current certificate for this programme."))
        else:
            db.session.commit()
            flash(_("The certificate is awarded."), "success")
            return redirect(url_for("certificates.manage"))
    return render_template("certificates/award.html", form=form)


def detail_page(certificate: Certificate, revoke_form: RevokeForm | None = None,
                reissue_form: ReissueForm | None = None):
    """The certificate's page: a form sent back (or sent too late) keeps what was typed, the other starts afresh."""
    if reissue_form is None:  # filled in with the printed name, so a one-letter fix is a one-letter edit
        kept = give_back(action=url_for(".reissue_certificate", certificate_id=certificate.id))
        reissue_form = ReissueForm(formdata=kept, name=certificate.name_printed)
    if revoke_form is None:
        kept = give_back(action=url_for(".revoke_certificate", certificate_id=certificate.id))
        revoke_form = RevokeForm(formdata=kept)
    holder = certificate.holder
    chosen = chosen_name(holder) if holder else None
    return render_template("certificates/detail.html", certificate=certificate,
                           revoke_form=revoke_form, reissue_form=reissue_form,
                           chosen=chosen if chosen != certificate.name_printed else None,
                           state=status(certificate, utcnow().date()), content=catalog())


@bp.get("/<int:certificate_id>")
@role_required("coordinator")
def detail(certificate_id: int):
    """One certificate with the forms to revoke or reissue it."""
    return detail_page(get_managed_or_404(certificate_id))


@bp.post("/<int:certificate_id>/revoke")
@role_required("coordinator")
def revoke_certificate(certificate_id: int):
    """Revoke with a private reason; the verify page then says revoked, and since when."""
    certificate = get_managed_or_404(certificate_id)
    form = RevokeForm()
    if certificate.revoked_at or certificate.superseded_at:
        flash(_("This certificate no longer stands, so it cannot be revoked."), "error")
    elif form.validate_on_submit():
        revoke(certificate, form.reason.data, current_user, utcnow())
        db.session.commit()
        flash(_("The certificate is revoked."), "success")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    return detail_page(certificate, revoke_form=form)


@bp.post("/<int:certificate_id>/reissue")
@role_required("coordinator")
def reissue_certificate(certificate_id: int):
    """A corrected copy under a new code, superseding this one, once the name is checked and the box ticked."""
    certificate = get_managed_or_404(certificate_id)
    form = ReissueForm()
    if form.validate_on_submit():
        new = reissue(certificate, current_user, utcnow(), form.name.data)
        if new is not None:
            db.session.commit()
            flash(_("A corrected certificate is issued; the old one is superseded."), "success")
            return redirect(url_for("certificates.detail", certificate_id=new.id))
        form.name.errors.append(_("Only a current certificate can be reissued."))
    return detail_page(certificate, reissue_form=form)
