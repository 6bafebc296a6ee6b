"""The curriculum files: the real content is valid, and each kind of mistake is named with its file."""
import shutil

import pytest

from training.content import CONTENT, ContentError, catalog, load_catalog, missing_translations, read_catalog

COMMUNITY_LANGUAGES = ("en", "fr", "ru", "uk", "es", "ar")


def test_the_real_content_has_no_problems():
    _, problems = read_catalog(CONTENT)
    assert problems == []


def test_three_programmes_and_twelve_modules():
    content = catalog()
    assert list(content.programmes) == ["community-response", "service-providers", "naloxone-trainer"]
    assert [m.order for m in content.modules.values()] == list(range(1, 13))


def test_programmes_name_the_modules_the_issue_asks_for():
    content = catalog()
    order = {m.slug: m.order for m in content.modules.values()}
    assert [order[s] for s in content.programmes["community-response"].modules] == list(range(1, 9))
    assert [order[s] for s in content.programmes["service-providers"].modules] == [1, 2, 3, 4, 5, 6, 9, 10, 11]
    assert [order[s] for s in content.programmes["naloxone-trainer"].modules] == [12]


def test_every_module_has_pictures_sources_and_key_points():
    for module in catalog().modules.values():
        assert list(module.folder.glob("*.svg")) and module.sources
        assert 5 <= module.minutes <= 15 and len(module.sections("en")) >= 3


def test_community_modules_exist_in_six_languages_and_the_rest_in_three():
    missing = missing_translations(catalog())
    community = set(catalog().programmes["community-response"].modules)
    assert all(not community & set(missing[lang]) for lang in COMMUNITY_LANGUAGES)
    assert missing["en"] == missing["fr"] == missing["ru"] == []


@pytest.fixture
def content_copy(tmp_path):
    """A copy of the real content that a test can break."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def problems_after(root, change) -> list[str]:
    """Apply a change to the copied content and return the problems found."""
    change(root)
    return read_catalog(root)[1]


def test_a_missing_required_language_is_named(content_copy):
    found = problems_after(content_copy, lambda r: (r / "04-naloxone" / "ar.md").unlink())
    assert any("04-naloxone/ar.md: missing" in p for p in found)


def test_an_unknown_module_in_a_programme_is_named(content_copy):
    path = content_copy / "programmes.yaml"
    found = problems_after(content_copy, lambda r: path.write_text(path.read_text().replace(
        "modules: [training-others]", "modules: [training-others, juggling]")))
    assert any("unknown module 'juggling'" in p for p in found)


def test_a_missing_picture_is_named(content_copy):
    picture = content_copy / "03-responding-step-by-step" / "recovery-position.svg"
    found = problems_after(content_copy, lambda r: picture.unlink())
    assert any("picture 'recovery-position.svg' does not exist" in p for p in found)


def test_a_duplicate_slug_is_named(content_copy):
    def duplicate(root):
        shutil.copytree(root / "05-after-naloxone", root / "13-after-naloxone-again")

    assert any("duplicate slug 'after-naloxone'" in p for p in problems_after(content_copy, duplicate))


def test_malformed_yaml_is_named(content_copy):
    meta = content_copy / "02-recognising-an-overdose" / "module.yaml"
    found = problems_after(content_copy, lambda r: meta.write_text("a: [b"))
    assert any("02-recognising-an-overdose/module.yaml: cannot be read as YAML" in p for p in found)


def test_unequal_sections_across_languages_are_named(content_copy):
    path = content_copy / "01-opioids-and-overdose" / "fr.md"
    found = problems_after(content_copy, lambda r: path.write_text(path.read_text() + "\n## En plus\n\nTexte.\n"))
    assert any("01-opioids-and-overdose/fr.md: has" in p for p in found)


def test_broken_content_is_refused_whole(content_copy):
    (content_copy / "04-naloxone" / "en.md").unlink()
    with pytest.raises(ContentError):
        load_catalog(content_copy)


def test_the_version_changes_when_a_file_changes(content_copy):
    before = load_catalog(content_copy).modules["naloxone"]
    lesson = content_copy / "04-naloxone" / "en.md"
    lesson.write_text(lesson.read_text().replace("naloxone", "Naloxone", 1), encoding="utf-8")
    after = load_catalog(content_copy).modules
    assert after["naloxone"].version != before.version
    assert after["after-naloxone"].version == load_catalog(CONTENT).modules["after-naloxone"].version
