"""Per-request behaviour shared by every page: proxies, security headers, caching, template gettext."""
from flask import Flask, Response, g, redirect, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup
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
    """The catalogue of the language in force, looked up once a request rather than for every string."""
    # Looked up again when the language changes: part of a page may be drawn under force_locale (a poster
    # printed in the cohort's language). Comparing the Locale object itself costs next to nothing.
    locale = get_locale()
    cached = g.get("translations")
    if cached is None or cached[0] is not locale:
        cached = g.translations = (locale, get_translations())
    return cached[1]


def template_gettext(string: str, **variables) -> Markup:
    """`_()` in a template: the translation is trusted HTML, the values put into it are escaped."""
    text = Markup(request_translations().ugettext(string))  # noqa: S704 - our own catalogue
    # Formatting only matters when there is something to put in or a "%%" to unescape; most strings have neither.
    return text % variables if variables or "%" in text else text


def template_ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    """`ngettext()` in a template: the form that agrees with `num`, which is also `%(num)d` in the text."""
    variables.setdefault("num", num)
    return Markup(request_translations().ungettext(singular, plural, num)) % variables  # noqa: S704


def install_template_gettext(app: Flask) -> None:
    """Give templates gettext functions that use the request's catalogue and are called directly.

    They behave as Jinja's "newstyle" gettext (every template is autoescaped HTML; no template uses {% trans %}),
    but Jinja's own wrappers cost three context calls per string and Flask-Babel's looks the catalogue up each
    time: on a page with forty strings that was a third of the rendering.
    """
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


def init_app(app: Flask) -> None:
    """Install the hooks on the app."""
    if app.config["TRUSTED_PROXIES"]:
        # Only behind a proxy we run do we believe X-Forwarded-*; otherwise a client could forge its address.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    install_template_gettext(app)
    app.before_request(require_own_password)
    app.after_request(security_headers)
