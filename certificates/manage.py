"""The coordinator's side: the register, expiring certificates, exceptions, awards, revocation and reissue."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import db
from certificates.eligibility import RENEWAL_WINDOW_DAYS, status
from certificates.forms import AwardForm, ReissueForm, RevokeForm
from certificates.issuing import award_manually, exceptions, expiring, printable_counts, reissue, revoke
from certificates.models import Certificate
from certificates.views import bp
from training.access import role_required, visible_cohorts
from training.auth import normalise_username
from training.cohorts import Cohort
from training.content import catalog
from training.models import User, utcnow
from training.once import claim, resent

REGISTER_LIMIT = 500


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


@bp.get("/manage")
@role_required("coordinator")
def manage():
    """Expiring in the next 60 days, exceptions, and the current register."""
    today = utcnow().date()
    query = select(Certificate).where(Certificate.current_key.is_not(None))
    if scope() is not None:
        query = query.where(Certificate.organisation_id == scope())
    register = list(db.session.scalars(query.order_by(Certificate.name_printed).limit(REGISTER_LIMIT)))
    cohorts = list(db.session.scalars(visible_cohorts(current_user).where(Cohort.archived_at.is_(None))
                                      .order_by(Cohort.name).limit(REGISTER_LIMIT)))
    return render_template(
        "certificates/manage.html", soon=expiring(scope(), RENEWAL_WINDOW_DAYS, today), exceptions=exceptions(scope()),
        register=register, limit=REGISTER_LIMIT, today=today, content=catalog(), status=status, cohorts=cohorts,
        printable=printable_counts([c.id for c in cohorts], today),
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


@bp.get("/<int:certificate_id>")
@role_required("coordinator")
def detail(certificate_id: int):
    """One certificate with the forms to revoke or reissue it."""
    certificate = get_managed_or_404(certificate_id)
    return render_template("certificates/detail.html", certificate=certificate, revoke_form=RevokeForm(),
                           reissue_form=ReissueForm(), state=status(certificate, utcnow().date()), content=catalog())


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
    return render_template("certificates/detail.html", certificate=certificate, revoke_form=form,
                           reissue_form=ReissueForm(formdata=None), state=status(certificate, utcnow().date()),
                           content=catalog())


@bp.post("/<int:certificate_id>/reissue")
@role_required("coordinator")
def reissue_certificate(certificate_id: int):
    """A corrected copy under a new code, superseding this one."""
    certificate = get_managed_or_404(certificate_id)
    form = ReissueForm()
    if form.validate_on_submit():
        new = reissue(certificate, current_user, utcnow(), (form.name.data or "").strip() or None)
        if new is not None:
            db.session.commit()
            flash(_("A corrected certificate is issued; the old one is superseded."), "success")
            return redirect(url_for("certificates.detail", certificate_id=new.id))
        form.name.errors.append(_("Only a current certificate can be reissued."))
    return render_template("certificates/detail.html", certificate=certificate, revoke_form=RevokeForm(formdata=None),
                           reissue_form=form, state=status(certificate, utcnow().date()), content=catalog())
