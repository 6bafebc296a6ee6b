"""Per-request behaviour shared by every page: proxies, security headers, caching, template gettext."""
from flask import Flask, Response, g, redirect, request, url_for
from flask_babel import get_translations
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
    """Add the headers a trusted site sends on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # Pages shown to a logged-in person may say who they are: never keep them on a shared phone.
    if current_user.is_authenticated and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response


PASSWORD_CHANGE_EXEMPT = {"account.password", "auth.logout", "site.language", "static"}


def require_own_password():
    """Someone logged in with a one-time password must choose their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
    ):
        return redirect(url_for("account.password"))
    return None


def request_translations():
    """The request's gettext catalogue, looked up once rather than for every string on the page."""
    translations = g.get("translations")
    if translations is None:
        translations = g.translations = get_translations()
    return translations


def install_template_gettext(app: Flask) -> None:
    """Make templates use the per-request catalogue (Flask-Babel's own looks it up on every call)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
    )


def init_app(app: Flask) -> None:
    """Install the hooks on the app."""
    if app.config["TRUSTED_PROXIES"]:
        # Only behind a proxy we run do we believe X-Forwarded-*; otherwise a client could forge its address.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    install_template_gettext(app)
    app.before_request(require_own_password)
    app.after_request(security_headers)
