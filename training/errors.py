"""Translated error pages that never show a trace."""
import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from app import db

ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500)
log = logging.getLogger(__name__)


def render_error(error: HTTPException):
    """Render the page for an HTTP error in the visitor's language."""
    code = error.code if error.code in ERROR_PAGES else 500
    return render_template("errors/error.html", code=code), code


def render_crash(error: Exception):
    """Log an unexpected exception and answer with the generic 500 page."""
    db.session.rollback()
    log.exception("Unhandled error")
    return render_template("errors/error.html", code=500), 500


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_crash)
