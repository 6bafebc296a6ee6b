"""The site's header and footer, rendered once per language and role and reused by every page."""
from functools import lru_cache

from babel.lists import format_list
from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import Template
from markupsafe import Markup, escape

from app import LANGUAGES, RTL_LANGUAGES
from training.addresses import referring_page

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "uk": "Українська",
    "es": "Español",
    "ar": "العربية",
}
SWITCHER_CHOICES = tuple((code, LANGUAGE_NAMES[code]) for code in LANGUAGES)
# Stand-ins for the two values that differ between visitors; put in place after the cached render.
CSRF_HOLE = "@@csrf-token@@"
NEXT_HOLE = "@@next-path@@"


@lru_cache(maxsize=512)
def _render(template: Template, language: str, role: str | None, script_root: str) -> str:
    """One rendering of a chrome template; the arguments are everything it may depend on."""
    # script_root is in the key because url_for's results start with it.
    return template.render(language=language, direction=direction_of(language), role=role,
                           language_names=SWITCHER_CHOICES, csrf_hole=CSRF_HOLE, next_hole=NEXT_HOLE)


def direction_of(language: str) -> str:
    """Which way a language is written."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def page_to_return_to() -> str:
    """Where the language switcher comes back to: this page, or, answering a form, the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return referring_page() or "/"  # the address a form was sent to may not be opened again


def chrome(name: str) -> Markup:
    """A chrome template for this visitor: the cached rendering with their form token and page filled in."""
    # Looked up each time: with template auto-reload on, an edited file is a new Template, hence a new key.
    template = current_app.jinja_env.get_template(f"layout/{name}.html")
    role = current_user.acting_role if current_user.is_authenticated else None
    html = _render(template, str(get_locale()), role, request.script_root)
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, generate_csrf()).replace(NEXT_HOLE, escape(page_to_return_to()))
    return Markup(html)  # noqa: S704 - rendered by autoescaping Jinja; the two values filled in are escaped


def word_list(items) -> str:
    """Items joined as the reader's language joins a list: "a, b and c", Arabic "a وb وc"."""
    return format_list([str(item) for item in items], locale=get_locale()) if items else ""


def template_globals() -> dict:
    """Values every template needs: the language and its direction."""
    language = str(get_locale())
    return {"language": language, "direction": direction_of(language)}


def init_app(app: Flask) -> None:
    """Give every template the header, the footer and the language."""
    app.jinja_env.globals.update(site_header=lambda: chrome("header"), site_footer=lambda: chrome("footer"))
    app.context_processor(template_globals)
    app.add_template_filter(word_list, "words")
