"""A cohort's certificates in one PDF, or its wallet cards on A4 sheets, for a trainer or coordinator.

Up to LARGE_BATCH people the PDF is drawn at once and streamed in chunks (300 certificates or 300 wallet cards
take under 2 s). A larger cohort is drawn in the background (certificates.print_jobs) while a page says how far
it is; the command `flask certificates print` shows a progress bar instead.
"""
from collections.abc import Iterator
from io import BytesIO

from flask import Response, abort, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user

from app import db
from certificates import print_jobs
from certificates.issuing import cohort_certificates, record_batch
from certificates.pdf import write_certificates
from certificates.rendering import certificate_views, wallet_views
from certificates.views import bp
from certificates.wallet import write_wallet_sheets
from training.access import get_cohort_or_404, login_required, role_required
from training.database import begin_writing
from training.models import utcnow

CHUNK = 256 * 1024
LARGE_BATCH = 300
KINDS = ("certificate", "wallet")


def _chunks(data: bytes) -> Iterator[bytes]:
    """The finished document in pieces, so the server never copies it whole into one write."""
    for start in range(0, len(data), CHUNK):
        yield data[start:start + CHUNK]


def _batch(cohort_id: int, kind: str):
    """Load the cohort (404), its certificates in name order, record the printing, and stream the PDF."""
    cohort = get_cohort_or_404(cohort_id, for_user=current_user)
    certificates = cohort_certificates(cohort.id, utcnow().date())
    if not certificates:
        return render_template("certificates/batch_empty.html", cohort=cohort)
    if len(certificates) > LARGE_BATCH:
        return render_template("certificates/batch_large.html", cohort=cohort, kind=kind, count=len(certificates))
    out = BytesIO()
    if kind == "wallet":
        write_wallet_sheets(wallet_views(certificates), out)
    else:
        write_certificates(certificate_views(certificates), out)
    # Recorded after drawing: committing first would expire every loaded certificate and reload each one.
    begin_writing()
    record_batch(cohort.id, cohort.organisation_id, kind, len(certificates), current_user._get_current_object())
    db.session.commit()
    name = f"cohort-{cohort.id}-{'wallet-cards' if kind == 'wallet' else 'certificates'}.pdf"
    return Response(stream_with_context(_chunks(out.getvalue())), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store",
    })


@bp.get("/cohort/<int:cohort_id>.pdf")
@role_required("trainer", "coordinator")
def cohort_pdf(cohort_id: int):
    """Every current certificate of a cohort, one page each, ordered by name."""
    return _batch(cohort_id, "certificate")


@bp.get("/cohort/<int:cohort_id>-wallet.pdf")
@role_required("trainer", "coordinator")
def cohort_wallet(cohort_id: int):
    """The cohort's wallet cards, ten to an A4 sheet, fronts then backs."""
    return _batch(cohort_id, "wallet")


@bp.post("/cohort/<int:cohort_id>/print")
@role_required("trainer", "coordinator")
def cohort_print(cohort_id: int):
    """Start drawing a large cohort's PDF in the background and show how far it is."""
    cohort = get_cohort_or_404(cohort_id, for_user=current_user)
    kind = request.form.get("kind")
    if kind not in KINDS:
        abort(400)
    certificates = cohort_certificates(cohort.id, utcnow().date())
    if not certificates:
        return render_template("certificates/batch_empty.html", cohort=cohort)
    name = f"cohort-{cohort.id}-{'wallet-cards' if kind == 'wallet' else 'certificates'}.pdf"
    token, _thread = print_jobs.start(certificates, kind, current_user.id, name)
    record_batch(cohort.id, cohort.organisation_id, kind, len(certificates), current_user._get_current_object())
    db.session.commit()
    return redirect(url_for("certificates.print_status", token=token))


@bp.get("/print/<token>")
@login_required
def print_status(token: str):
    """How far a background batch is; the page reloads itself every few seconds until it is ready."""
    status = print_jobs.read_status(token, current_user.id)
    if status is None:
        abort(404)
    page = render_template("certificates/batch_progress.html", token=token, status=status)
    waiting = not (status["finished"] or status["failed"])
    return page, 200, {"Refresh": "3", "Cache-Control": "no-store"} if waiting else {"Cache-Control": "no-store"}


@bp.get("/print/<token>.pdf")
@login_required
def print_download(token: str):
    """The finished background batch, for the person who started it."""
    status = print_jobs.read_status(token, current_user.id)
    if status is None or not status["finished"]:
        abort(404)
    response = send_file(print_jobs.pdf_path(token), mimetype="application/pdf", as_attachment=True,
                         download_name=status["name"])
    response.headers["Cache-Control"] = "private, no-store"
    return response
