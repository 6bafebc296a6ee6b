"""Six complete catalogues, kept compiled, and the language chosen in the right order."""
import re
from pathlib import Path

import pytest
import wtforms
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import ngettext

from app import LANGUAGES, db
from tests.conftest import login
from training.form_i18n import WTFORMS_MESSAGES

TRANSLATIONS = Path(__file__).parent.parent / "translations"
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


def catalogue(language):
    """The parsed .po catalogue of a language."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def template_ids():
    """Every message id the code and templates use, from the extracted template."""
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        return {message.id for message in read_po(pot) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid(language):
    problems = [(message.id, errors) for message, errors in catalogue(language).check()]
    assert problems == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_string_is_translated(language):
    messages = {message.id: message for message in catalogue(language) if message.id}
    missing = sorted(str(i) for i in template_ids() if i not in messages or not messages[i].string
                     or (isinstance(messages[i].string, tuple) and not all(messages[i].string)))
    fuzzy = sorted(str(m.id) for m in messages.values() if m.fuzzy)
    assert missing == [] and fuzzy == []


# Words that really are the same in both languages (checked by a translator), per language.
SAME_IN_BOTH = {"es": {"No", "no"}, "fr": {("%(num)d question", "%(num)d questions"), "Logo"}}
PUNCTUATION_ONLY = {"%(place)s, %(region)s"}  # only the separator is translated, and only Arabic's differs


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_translation_is_just_the_english(language):
    identical = [m.id for m in catalogue(language) if m.id and m.string == m.id and any(c.islower() for c in m.id)]
    assert [i for i in identical if i not in SAME_IN_BOTH.get(language, set()) | PUNCTUATION_ONLY] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_fresh(language):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value  # plural forms read back as lists

    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = {key(m.id): key(m.string) for m in read_mo(mo) if m.id}
    translated = [m for m in catalogue(language) if m.id and not m.fuzzy and all(key(m.string) or [""])]
    source = {key(m.id): key(m.string) for m in translated}
    assert compiled == source


def test_accept_language_picks_the_language(client):
    assert 'lang="ru"' in client.get("/", headers={"Accept-Language": "ru,en;q=0.5"}).get_data(as_text=True)


def test_unknown_languages_fall_back_to_english(client):
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_the_switcher_beats_accept_language(client):
    client.post("/language", data={"language": "es", "next": "/"})
    assert 'lang="es"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_saved_choice_beats_the_switcher(client, make_user):
    make_user(username="river", language="uk")
    client.post("/language", data={"language": "es", "next": "/"})
    login(client, "river")
    assert 'lang="uk"' in client.get("/dashboard").get_data(as_text=True)


def test_switching_while_logged_in_saves_the_choice(client, as_user):
    user = as_user(language="en")
    client.post("/language", data={"language": "fr", "next": "/dashboard"})
    db.session.refresh(user)
    assert user.language == "fr"


def test_arabic_pages_are_right_to_left(client):
    body = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in body and 'lang="ar"' in body


def test_typed_text_runs_in_its_own_direction_whatever_the_page_language(client):
    """A Latin username typed on an Arabic page, or an Arabic name on an English one, aligns as it was written."""
    body = client.get("/auth/signup", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert re.search(r'<input[^>]* dir="auto"[^>]* name="username"', body)
    assert re.search(r'<input[^>]* name="password"', body) and not re.search(r'dir="auto"[^>]* name="password"', body)


def test_consent_text_is_in_the_users_language(client):
    body = client.get("/auth/signup", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Ce que nous gardons" in body


@pytest.mark.parametrize(("language", "counts"), [("ru", (1, 3, 5)), ("uk", (1, 3, 5)), ("ar", (1, 2, 3, 11))])
def test_counts_agree_with_their_number(app, language, counts):
    """Russian, Ukrainian and Arabic nouns change with the number: each count gets its own form."""
    with app.test_request_context(headers={"Accept-Language": language}):
        forms = {ngettext("%(num)d kit added to the stock.", "%(num)d kits added to the stock.", n).replace(str(n), "N")
                 for n in counts}
    assert len(forms) == len(counts)


def test_template_strings_escape_values_and_show_a_literal_percent(app):
    """`_()` in templates: typed values are escaped, "%%" shows as "%" even with nothing to put in."""
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        template = app.jinja_env.from_string('{{ _("Score (%%)") }}|{{ _("Hello, %(name)s", name=name) }}|'
                                             '{{ _("Send") }}')
        assert template.render(name="<b>Ann</b>") == "Note (%)|Bonjour, &lt;b&gt;Ann&lt;/b&gt;|Envoyer"


def test_the_template_holds_exactly_the_strings_the_code_uses():
    """A string added to the code or a template without `make translations-update` would stay in English."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "Nn_": (1, 2)}  # as the Makefile extracts
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    used = {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(TRANSLATIONS.parent), method_map, keywords=keywords) if message}
    assert used == template_ids()


def test_every_wtforms_message_is_ours_to_translate():
    """WTForms' own messages (its Arabic and Russian catalogues are incomplete) are all in our catalogue."""
    with open(Path(wtforms.__file__).parent / "locale" / "wtforms.pot", "rb") as pot:
        theirs = {message.id for message in read_po(pot) if message.id}
    assert theirs == set(WTFORMS_MESSAGES) and theirs <= template_ids()


@pytest.mark.parametrize(("language", "message"), [
    ("ar", "يجب ألا يزيد طول الحقل عن 80 حرفًا."),
    ("ru", "Значение не должно содержать более 80 символов."),
])
def test_form_errors_speak_the_users_language(client, as_user, language, message):
    as_user(language=language)
    page = client.post("/account/profile", data={"display_name": "x" * 81, "language": language})
    assert page.status_code == 200 and message in page.get_data(as_text=True)


@pytest.mark.parametrize(("language", "joined"), [("en", "A, B, and C"), ("fr", "A, B et C"), ("ar", "A وB وC")])
def test_lists_of_answers_are_joined_as_the_readers_language_joins_them(app, language, joined):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert app.jinja_env.from_string("{{ items|words }}").render(items=["A", "B", "C"]) == joined
