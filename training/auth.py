"""Sign-up, log-in and log-out, and how a session finds its user."""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select

from app import db, login_manager
from training import audit
from training.access import login_required, public
from training.addresses import safe_next
from training.forms import LoginForm, SignupForm
from training.models import User, utcnow
from training.once import claim, earlier, resent
from training.sessions import SHARED_DEVICE
from training.throttle import login_blocked, record_login_failure
from training.unsent import UNSENT_FORM, kept_for

bp = Blueprint("auth", __name__, url_prefix="/auth")
# Checked when the username is unknown, so both failures take the same time.
_DUMMY = User(password_hash="scrypt:32768:8:1$xxxxxxxxxxxxxxxx$" + "0" * 128)


# Built once: constructing a select costs more than running it, and this one runs on every request.
_USER_BY_TOKEN = select(User).where(User.session_token == bindparam("token"))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Find the user whose current session token the cookie carries."""
    return db.session.scalar(_USER_BY_TOKEN, {"token": token})


@login_manager.unauthorized_handler
def login_redirect():
    """Send a visitor who must log in to the login page, remembering a same-site destination."""
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def normalise_username(username: str) -> str:
    """Usernames are matched without regard to case or surrounding spaces (phones capitalise)."""
    return username.strip().lower()


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup():
    """Create an account with a username and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.dashboard"))
    form = SignupForm(language=str(get_locale()))
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:
            return signed_up_already(form)
        username = normalise_username(form.username.data)
        if db.session.scalar(select(User.id).where(User.username == username)):
            form.username.errors.append(_("This username is taken. Please choose another."))
        else:
            now = utcnow()
            user = User(username=username, consented_at=now, last_seen_at=now)  # logged in at once, below
            form.populate_obj(user)
            user.username = username
            user.set_password(form.password.data)
            for field in ("display_name", "audience", "sex", "age_band", "region"):
                setattr(user, field, (getattr(user, field) or "").strip() or None)
            db.session.add(user)
            db.session.flush()
            submission.user_id, submission.outcome = user.id, safe_next(request.args.get("next"))
            db.session.commit()
            return welcome(user, submission.outcome)
    return render_template("auth/signup.html", form=form)


def welcome(user: User, outcome: str | None):
    """Log the new account in and take it where it was going."""
    login_user(user)
    flash(_("Welcome! Your account is ready."), "success")
    return redirect(outcome or url_for("learn.dashboard"))


def signed_up_already(form: SignupForm):
    """A sign-up sent again, e.g. after the first answer was lost on a slow line: log in the account it made."""
    first = earlier(form.once.data)
    user = db.session.get(User, first.user_id) if first and first.user_id else None
    if user is None or not user.check_password(form.password.data):  # only whoever typed that password
        return resent(form.once.data, url_for("auth.login"))
    session.clear()
    return welcome(user, first.outcome)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in; unknown usernames and wrong passwords get the same answer."""
    form = LoginForm()
    if form.validate_on_submit():
        username = normalise_username(form.username.data)
        if login_blocked(username):
            abort(429)
        user = db.session.scalar(select(User).where(User.username == username))
        matches = (user or _DUMMY).check_password(form.password.data) and user is not None
        if matches and user.disabled_at:  # said only to whoever knows the password
            flash(_("This account is switched off. Ask your trainer or coordinator."), "error")
            return render_template("auth/login.html", form=form)
        if matches:
            user.language = user.language or session.get("language")  # the language chosen before logging in
            unsent = kept_for(user.id)
            session.clear()  # a fresh session: nothing from before login carries over but this person's unsent form
            if unsent:
                session[UNSENT_FORM] = unsent
            if user.language:  # still the login page's language if this session ends unused
                session["language"] = user.language
            if form.shared.data:
                session[SHARED_DEVICE] = True  # a short idle timeout, so the next person does not find it open
            login_user(user)
            user.last_seen_at = utcnow()
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("account.password"))
            return redirect(safe_next(request.args.get("next")) or url_for("learn.dashboard"))
        record_login_failure(username)
        audit.record("login-failed", target=f"name-hash:{audit.keyed_hash(username)[:16]}", actor=None, commit=True)
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session and every other copy of it."""
    language = current_user.language or session.get("language")
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    if language:  # the next page, and the next log-in, stay in the language the person reads
        session["language"] = language
    flash(_("You are logged out."), "info")
    return redirect(url_for("site.home"))
