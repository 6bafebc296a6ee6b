"""Turn a lesson section into HTML, with the organisation's emergency number and legal note in place."""
import re
from functools import lru_cache

import markdown
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from training.content import PICTURE, Module, Section

LEGAL_NOTE_LINE = re.compile(r"^\[\[legal_note\]\]$", re.MULTILINE)
# Every content picture is drawn on this canvas (a test checks): the <img> says so, and the page keeps the picture's
# place while it loads on a slow line instead of jumping under the reader's thumb.
PICTURE_SIZE = 'width="320" height="200"'


@lru_cache(maxsize=512)
def section_html(body: str, media_prefix: str, lazy: bool = True) -> str:
    """Markdown to HTML, once per section text: content only changes with a new deployment."""
    body = PICTURE.sub(lambda m: f"![{m.group(1)}]({media_prefix}{m.group(2)})", body)
    body = LEGAL_NOTE_LINE.sub("LEGALNOTEPLACEHOLDER", body)
    html = markdown.markdown(body, extensions=["sane_lists"], output_format="html")
    html = html.replace("<img ", f"<img {PICTURE_SIZE} ")
    return html.replace("<img ", '<img loading="lazy" ') if lazy else html


def render_section(section: Section, module: Module, emergency_number: str, legal_note: str | None,
                   lazy: bool = True) -> Markup:
    """HTML of one section; the lesson files are ours and trusted, what organisations type is escaped.

    Pictures load as they scroll into view, except where the page is printed (lazy=False): a printout would
    leave out those not yet loaded.
    """
    note = legal_note or _("Laws differ from place to place. Ask your trainer what the law says where you live.")
    media_prefix = url_for("learn.media", slug=module.slug, filename="")
    html = section_html(section.body, media_prefix, lazy)
    html = html.replace("[[emergency_number]]", f"<strong>{escape(emergency_number)}</strong>")
    legal = f'<aside class="legal-note"><p>{escape(note)}</p></aside>'
    html = html.replace("<p>LEGALNOTEPLACEHOLDER</p>", legal).replace("LEGALNOTEPLACEHOLDER", legal)
    return Markup(html)  # noqa: S704 - lesson Markdown is ours; organisation text is escaped above

