"""The public face of the site: home page, language switcher, dashboard entry and health check."""
from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from app import db
from training.access import public
from training.addresses import safe_next
from training.database import database_ok
from training.forms import LanguageForm

bp = Blueprint("site", __name__)


@bp.get("/")
@public
def home():
    """Explain in a few plain sentences what the training is and who it is for."""
    return render_template("site/home.html")


@bp.post("/language")
@public
def language():
    """Switch the interface language; a logged-in person's choice is saved with their account."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("site.home"))


@bp.get("/healthz")
@public
def healthz():
    """Report whether the database answers, for load balancers and monitoring."""
    ok = database_ok()
    return jsonify(status="ok" if ok else "unavailable", database="ok" if ok else "unreachable"), (
        200 if ok else 503
    )
