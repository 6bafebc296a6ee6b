"""Pictures keep their place while they load on a slow line: every lesson and quiz <img> has its width and height."""
import re
from pathlib import Path

import pytest

from app import db
from quizzes.attempts import bank_of, shown_options
from quizzes.presenting import present
from tests.test_quiz_web import EN, open_quiz
from training.content import catalog

ROOT = Path(__file__).parent.parent
IMG = re.compile(r"<img\b[^>]*>")
MODULE_PICTURE = re.compile(r'src="[^"]*/learn/media/([^/"]+)/([^/"]+)"')


def view_box(slug: str, filename: str) -> tuple[float, float]:
    """The width and height of a module picture's viewBox, read straight from the file."""
    text = (catalog().modules[slug].folder / filename).read_text(encoding="utf-8")
    _x, _y, width, height = (float(n) for n in re.search(r'viewBox="([^"]+)"', text).group(1).split())
    return width, height


def module_pictures(html: str) -> list[str]:
    """The <img> tags of module pictures on a page (not the site's icon)."""
    return [tag for tag in IMG.findall(html) if MODULE_PICTURE.search(tag)]


def assert_sized(tag: str) -> None:
    """The tag has width and height attributes in the proportions of its picture."""
    slug, filename = MODULE_PICTURE.search(tag).groups()
    width, height = re.search(r'\bwidth="(\d+)"', tag), re.search(r'\bheight="(\d+)"', tag)
    assert width and height, tag
    box_width, box_height = view_box(slug, filename)
    assert int(width.group(1)) / int(height.group(1)) == pytest.approx(box_width / box_height, rel=0.01), tag


@pytest.mark.parametrize("slug", sorted(catalog().modules))
def test_every_lesson_picture_has_its_width_and_height(client, slug):
    """The printable handout holds every section of the module, so every picture of its lessons."""
    pictures = module_pictures(client.get(f"/learn/{slug}/handout", headers=EN).text)
    for tag in pictures:
        assert_sized(tag)


def test_some_lessons_have_pictures_at_all():
    """The check above is not empty: most modules show pictures."""
    assert sum(1 for module in catalog().modules.values() if any(module.folder.glob("*.svg"))) >= 10


def test_a_section_page_sizes_its_lazy_pictures(client, as_user):
    as_user()
    page = client.get("/learn/naloxone/2", headers=EN).text
    pictures = module_pictures(page)
    assert pictures and all('loading="lazy"' in tag for tag in pictures)
    for tag in pictures:
        assert_sized(tag)


def test_the_quiz_page_sizes_the_picture_of_a_situation(client, as_user):
    as_user()
    slug = "recognising-an-overdose"
    attempt = open_quiz(client, f"/quizzes/module/{slug}")
    drawn = [q for q in bank_of(slug).questions if q.picture]
    attempt.questions = [q.id for q in drawn]
    attempt.options = shown_options(drawn, attempt.seed, True)
    db.session.commit()
    pictures = module_pictures(client.get(f"/quizzes/module/{slug}", headers=EN).text)
    assert len(pictures) == len(drawn) > 0
    for tag in pictures:
        assert_sized(tag)


def test_every_quiz_picture_is_sized(app):
    """Each question with a picture, in every module, drawn through the take page's own macro."""
    macro = app.jinja_env.get_template("quizzes/_question.html").module.question
    questions = [q for slug in catalog().modules for q in bank_of(slug).questions if q.picture]
    assert len(questions) >= 10
    with app.test_request_context(headers=EN):
        for question in questions:
            html = str(macro(present(question, {}, "en", "q1"), 1, {}, ()))
            (tag,) = module_pictures(html)
            assert_sized(tag)


def test_every_picture_of_the_content_is_drawn_on_the_canvas_the_pages_reserve():
    """A picture of another size would be drawn in a box of the wrong shape until it loads."""
    pictures = [path for module in catalog().modules.values() for path in module.folder.glob("*.svg")]
    assert pictures and all('viewBox="0 0 320 200"' in path.read_text(encoding="utf-8") for path in pictures)


def test_the_stylesheet_lets_sized_pictures_shrink_to_a_narrow_screen():
    """width and height set the proportions; the stylesheet must still let the picture fit the phone."""
    css = (ROOT / "static" / "site.css").read_text(encoding="utf-8")
    rule = re.search(r"(?:^|})\s*img\s*,\s*svg\s*\{([^}]*)\}", css)
    assert rule and "max-width:100%" in rule.group(1).replace(" ", "") and "height:auto" in rule.group(1)
