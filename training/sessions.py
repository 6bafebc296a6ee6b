"""Sessions end after hours without use, and days after logging in however much they are used.

On a shared phone the next person must not find someone else still logged in (ASVS 7.3.1 and 7.3.2).
"""
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import logout_user, user_logged_in
from itsdangerous import BadSignature, SignatureExpired

from app import LANGUAGES
from training.addresses import form_page
from training.unsent import keep_form

RESIGN_AFTER = 600  # seconds: an unchanged cookie in use is signed again at most this often
SHARED_DEVICE = "shared_device"  # set at login by someone on a shared phone or computer
SHARED_IDLE = 30 * 60  # seconds without use before a shared device's session ends: long enough for a quiz
SHARED_RESIGN_AFTER = 60  # signed again this often, so the idle time is measured to the minute
LOGGED_IN_AT = "logged_in_at"


class TimedSession(SecureCookieSession):
    """A session that knows when its cookie was signed and, when it replaces one that just ended, what that held."""

    signed_at: float = 0.0
    ended: Mapping[str, Any] = MappingProxyType({})  # who held it, for a form it sent too late (training/unsent.py)


class StaticFileSession(TimedSession):
    """The session of a request for a static file: empty, and never sent back as a cookie."""


class IdleTimeoutSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, whose signature's age is the time since the session was last used.

    Flask refuses a cookie signed longer ago than PERMANENT_SESSION_LIFETIME. Signing a session in use again every
    few minutes turns that into an idle timeout, without a new cookie on every response; the cookie itself still
    ends with the browser.
    """

    session_class = TimedSession

    def open_session(self, app: Flask, request) -> TimedSession | None:
        """The session from the cookie, with the time it was signed, or a new one when it lapsed or was forged."""
        # A static file is the same for everyone: reading the cookie would add `Vary: Cookie`, which stops caches.
        # Not Flask's null session: a missing file's 404 page still writes its form token somewhere.
        if request.path.startswith(f"{app.static_url_path}/"):
            return StaticFileSession()
        serializer = self.get_signing_serializer(app)
        cookie = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not cookie:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except SignatureExpired as lapsed:  # idle too long
            return self.session_after(serializer.load_payload(lapsed.payload))
        except BadSignature:
            return self.session_class()
        if data.get(SHARED_DEVICE) and time.time() - signed_at.timestamp() > SHARED_IDLE:
            return self.session_after(data)
        opened = self.session_class(data)
        opened.signed_at = signed_at.timestamp()
        return opened

    def session_after(self, ended: dict) -> TimedSession:
        """A new session after one that ended unused: only its language carries over, as logging out keeps it."""
        language = ended.get("language")
        opened = self.session_class({"language": language} if language in LANGUAGES else {})
        opened.ended = ended
        return opened

    def save_session(self, app: Flask, session: TimedSession, response) -> None:
        """Save the session, unless it is a static file's: no cookie signed again, no `Vary: Cookie`."""
        if not isinstance(session, StaticFileSession):
            super().save_session(app, session, response)

    def should_set_cookie(self, app: Flask, session: TimedSession) -> bool:
        """Send the cookie when the session changed, or when its signature is getting old."""
        resign_after = SHARED_RESIGN_AFTER if session.get(SHARED_DEVICE) else RESIGN_AFTER
        return super().should_set_cookie(app, session) or time.time() - session.signed_at > resign_after


def mark_logged_in(_app: Flask, **_extra) -> None:
    """Start the absolute lifetime of a session that has just logged in."""
    session[LOGGED_IN_AT] = int(time.time())


def end_old_session():
    """Log out a session older than the absolute lifetime, whatever its use, and ask for the password again."""
    logged_in_at = session.get(LOGGED_IN_AT)
    if logged_in_at is None or time.time() - logged_in_at < current_app.config["SESSION_ABSOLUTE_LIFETIME"]:
        return None
    ended = dict(session)
    logout_user()
    session.clear()
    session.ended = ended
    flash(_("For your safety, please log in again."), "info")
    if request.method != "GET":  # a form's address cannot be opened again: back to its page, with what it sent
        back = form_page()
        if back and keep_form(urlsplit(back).path):
            return redirect(url_for("auth.login", next=back))
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    """Use the timed session cookie and end sessions past their absolute lifetime."""
    app.session_interface = IdleTimeoutSessionInterface()
    user_logged_in.connect(mark_logged_in, app)
    app.before_request(end_old_session)
