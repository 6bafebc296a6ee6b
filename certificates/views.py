"""The holder's side of certificates: my certificates, my settings, and downloading a PDF or a wallet card."""
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select

from app import db
from certificates.codes import format_code
from certificates.eligibility import is_due_for_renewal, load_facts, refresh_missing, status
from certificates.forms import SettingsForm
from certificates.issuing import chosen_name, reissue
from certificates.models import Certificate
from certificates.pdf import render_certificate
from certificates.rendering import certificate_view, wallet_view
from certificates.wallet import render_wallet
from training.access import login_required, visible_cohorts
from training.cohorts import Cohort, Membership
from training.content import catalog
from training.models import Organisation, User, emergency_number, utcnow

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
bp.add_app_template_filter(format_code, "certificate_code")


def may_download(certificate: Certificate, user: User) -> bool:
    """The holder, the organisation's coordinators, the trainers of the holder's cohort, and admins."""
    if user.role == "admin":
        return True
    if certificate.withdrawn_at:
        return False
    if certificate.user_id == user.id:
        return True
    if user.role == "coordinator":
        return certificate.organisation_id is not None and certificate.organisation_id == user.organisation_id
    if user.role == "trainer":
        cohort = visible_cohorts(user).where(
            Cohort.programme_slug == certificate.programme_slug,
            exists().where(Membership.cohort_id == Cohort.id, Membership.user_id == certificate.user_id),
        )
        return db.session.scalar(select(cohort.exists())) or False
    return False


def get_certificate_or_404(certificate_id: int, for_user: User) -> Certificate:
    """The certificate if this user may see it; 404 otherwise, so nobody learns that it exists."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not may_download(certificate, for_user):
        abort(404)
    return certificate


@bp.get("/")
@login_required
def mine():
    """The person's certificates, their status, download links and how to renew."""
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == current_user.id, Certificate.withdrawn_at.is_(None))
        .order_by(Certificate.issued_at.desc())
    ))
    today, content = utcnow().date(), catalog()
    facts = load_facts(current_user.id)  # one load for every renewal question on the page
    rows = []
    for certificate in certificates:
        programme = content.programmes[certificate.programme_slug]
        due = is_due_for_renewal(certificate, today)
        rows.append((certificate, status(certificate, today),
                     refresh_missing(programme, content, facts, certificate) if due else None))
    return render_template("certificates/mine.html", rows=rows, content=content, language=str(get_locale()))


def reprint_with_new_name(user: User) -> int:
    """Reissue the person's standing certificates whose printed name is not the one they now choose; how many."""
    standing = db.session.scalars(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.current_key.is_not(None), Certificate.withdrawn_at.is_(None)))
    now = utcnow()
    return sum(reissue(c, by=user, now=now) is not None for c in standing if c.name_printed != chosen_name(user))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The name to print on new certificates and how the verify page shows it."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.certificate_name = (form.certificate_name.data or "").strip() or None
        current_user.verify_name = form.verify_name.data
        reprinted = reprint_with_new_name(current_user) if form.reprint.data else 0
        db.session.commit()
        flash(_("Your certificate settings are saved."), "success")
        if reprinted:
            flash(ngettext("%(num)d certificate now shows this name. Download it again: the old file and code are "
                           "replaced.", "%(num)d certificates now show this name. Download them again: the old files "
                           "and codes are replaced.", reprinted), "success")
        return redirect(url_for("certificates.mine"))
    return render_template("certificates/settings.html", form=form)


def no_longer_printed(certificate: Certificate):
    """A revoked or replaced certificate is never printed again: say so where its status is shown."""
    flash(_("This certificate was revoked or replaced, so it can no longer be downloaded."), "error")
    if current_user.has_role("coordinator"):
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    return redirect(url_for("certificates.mine"))


def _pdf(data: bytes, name: str):
    """A PDF download that no shared cache keeps."""
    response = send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int):
    """One certificate as a PDF, for its holder and the people who run their training."""
    certificate = get_certificate_or_404(certificate_id, current_user)
    if certificate.revoked_at or certificate.superseded_at:
        return no_longer_printed(certificate)
    organisation = db.session.get(Organisation, certificate.organisation_id) if certificate.organisation_id else None
    return _pdf(render_certificate(certificate_view(certificate, organisation)), f"certificate-{certificate.code}.pdf")


@bp.get("/<int:certificate_id>-wallet.pdf")
@login_required
def wallet(certificate_id: int):
    """One wallet card (front sheet, then back sheet) as a PDF."""
    certificate = get_certificate_or_404(certificate_id, current_user)
    if certificate.revoked_at or certificate.superseded_at:
        return no_longer_printed(certificate)
    organisation = db.session.get(Organisation, certificate.organisation_id) if certificate.organisation_id else None
    own = certificate.user_id == current_user.id  # staff printing someone's card print the organisation's number
    number = emergency_number(organisation, current_user if own else None)
    return _pdf(render_wallet(wallet_view(certificate, organisation, number)), f"wallet-card-{certificate.code}.pdf")


from certificates import batch, manage  # noqa: E402,F401 - their routes join this blueprint
