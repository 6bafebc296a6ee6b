"""Turn a lesson section into HTML, with the organisation's emergency number and legal note in place."""
import re

import markdown
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from training.content import PICTURE, Module, Section

LEGAL_NOTE_LINE = re.compile(r"^\[\[legal_note\]\]$", re.MULTILINE)


def picture_urls(body: str, module: Module) -> str:
    """Point each picture at the module's media URL, which the browser can cache."""
    return PICTURE.sub(
        lambda m: f"![{m.group(1)}]({url_for('learn.media', slug=module.slug, filename=m.group(2))})", body
    )


def render_section(section: Section, module: Module, emergency_number: str, legal_note: str | None) -> Markup:
    """HTML of one section; the lesson files are ours and trusted, what organisations type is escaped."""
    note = legal_note or _("Laws differ from place to place. Ask your trainer what the law says where you live.")
    body = picture_urls(section.body, module)
    body = LEGAL_NOTE_LINE.sub("LEGALNOTEPLACEHOLDER", body)
    html = markdown.markdown(body, extensions=["sane_lists"], output_format="html")
    html = html.replace("<img ", '<img loading="lazy" ')
    html = html.replace("[[emergency_number]]", f"<strong>{escape(emergency_number)}</strong>")
    legal = f'<aside class="legal-note"><p>{escape(note)}</p></aside>'
    html = html.replace("<p>LEGALNOTEPLACEHOLDER</p>", legal).replace("LEGALNOTEPLACEHOLDER", legal)
    return Markup(html)  # noqa: S704 - lesson Markdown is ours; organisation text is escaped above
