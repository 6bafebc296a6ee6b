"""Translated error pages that never show a trace, and a way back to its page for a form that came too late."""
import logging
from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import db
from training.addresses import form_page
from training.unsent import keep_form

ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500)
log = logging.getLogger(__name__)


def render_error(error: HTTPException):
    """Render the page for an HTTP error in the visitor's language."""
    code = error.code if error.code in ERROR_PAGES else 500
    return render_template("errors/error.html", code=code), code


def resend_form(error: CSRFError):
    """A form whose token no longer holds (its session ended, or it is older than the last log-in): back to its page.

    What it sent is kept when it can be, and the page gives it back; the page itself asks for a log-in when the
    session ended. Either way the person sees why and can send it again.
    """
    back = form_page()
    if back is None:  # sent from no page of ours: a forged request gets the plain 400
        return render_error(error)
    kept = keep_form(urlsplit(back).path)
    if kept is None:
        flash(_("This page had expired, so the form was not sent. Please fill it in again and send it."), "info")
        return redirect(back)
    flash(_("This page had expired, so the form was not sent."), "info")
    if kept["owner"] is not None and not current_user.is_authenticated:
        # Only its owner may have it back, even on a page open to all: they log in first.
        return redirect(url_for("auth.login", next=back))
    return redirect(back)


def render_crash(error: Exception):
    """Log an unexpected exception and answer with the generic 500 page."""
    db.session.rollback()
    log.exception("Unhandled error")
    return render_template("errors/error.html", code=500), 500


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, resend_form)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_crash)
