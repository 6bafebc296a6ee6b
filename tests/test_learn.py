"""Working through a module: sections, progress, resume, handouts, pictures and caching."""
from dataclasses import replace

from sqlalchemy import select

from app import db
from tests.conftest import count_queries
from training.content import catalog
from training.models import ModuleProgress, utcnow

SLUG = "naloxone"


def progress_row(user):
    """The user's progress row for the test module."""
    return db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id,
                                                          ModuleProgress.module_slug == SLUG))


def test_the_dashboard_shows_suited_programmes_first_with_a_next_step(client, as_user):
    as_user(audience="provider")
    body = client.get("/dashboard").get_data(as_text=True)
    assert body.index("Overdose management for service providers") < body.index("Community overdose response")
    assert "Next step: Opioids and overdose" in body


def test_a_module_opens_at_its_first_section(client, as_user):
    as_user()
    response = client.get(f"/learn/{SLUG}")
    assert response.headers["Location"].endswith(f"/learn/{SLUG}/1")
    body = client.get(f"/learn/{SLUG}/1").get_data(as_text=True)
    assert "What naloxone is" in body and "Part 1 of 7" in body


def test_reading_records_progress_and_moves_on(client, as_user):
    user = as_user()
    response = client.post(f"/learn/{SLUG}/1/read", data={"shown_at": 0})
    assert response.headers["Location"].endswith(f"/learn/{SLUG}/2")
    row = progress_row(user)
    assert (row.sections_read, row.last_section, row.content_version) == (1, 2, catalog().modules[SLUG].version)
    assert 0 < row.seconds_spent <= 15 * 60  # approximate, and capped


def test_the_trainee_resumes_where_they_left_off(client, as_user):
    as_user()
    client.post(f"/learn/{SLUG}/1/read")
    client.post(f"/learn/{SLUG}/2/read")
    assert client.get(f"/learn/{SLUG}").headers["Location"].endswith(f"/learn/{SLUG}/3")


def test_reading_every_section_marks_the_module_read_but_not_yet_completed(client, as_user):
    user = as_user()
    for number in range(1, 8):
        client.post(f"/learn/{SLUG}/{number}/read")
    row = progress_row(user)
    assert row.read_at is not None and row.completed_at is None  # the quiz is still to pass


def test_the_dashboard_shows_module_status(client, as_user):
    as_user()
    client.post(f"/learn/{SLUG}/1/read")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "In progress" in body and "Not started" in body


def test_an_unknown_module_or_section_is_404(client, as_user):
    as_user()
    assert client.get("/learn/juggling/1").status_code == 404
    assert client.get(f"/learn/{SLUG}/99").status_code == 404
    assert client.post(f"/learn/{SLUG}/99/read").status_code == 404


def test_the_lesson_shows_the_organisations_emergency_number_escaped(client, as_user, make_org):
    org = make_org(emergency_number="<b>103</b>")
    as_user(organisation_id=org.id)
    body = client.get("/learn/responding-step-by-step/1").get_data(as_text=True)
    assert "&lt;b&gt;103&lt;/b&gt;" in body and "[[emergency_number]]" not in body


def test_the_organisations_legal_note_replaces_the_placeholder(client, as_user, make_org):
    org = make_org(legal_note="Calling 103 is protected by law here.")
    as_user(organisation_id=org.id)
    handout = client.get("/learn/myths-and-mistakes/handout").get_data(as_text=True)
    assert "Calling 103 is protected by law here." in handout and "[[legal_note]]" not in handout


def test_a_missing_translation_falls_back_to_english_with_a_note(client, as_user, monkeypatch):
    # Every module is in every language today; a module added in English first must still be readable.
    module = catalog().modules["training-others"]
    lessons = {lang: sections for lang, sections in module.lessons.items() if lang != "uk"}
    monkeypatch.setitem(catalog().modules, module.slug, replace(module, lessons=lessons))
    as_user(language="uk")
    english_heading = module.sections("en")[0].heading
    body = client.get("/learn/training-others/1").get_data(as_text=True)
    assert 'lang="uk"' in body and english_heading in body and 'class="flash flash-info"' in body


def test_a_translated_module_shows_no_fallback_note(client, as_user):
    as_user(language="uk")
    body = client.get(f"/learn/{SLUG}/1").get_data(as_text=True)
    assert catalog().modules[SLUG].sections("uk")[0].heading in body and "flash-info" not in body


def test_the_handout_has_every_section_and_no_navigation_when_printed(client):
    body = client.get(f"/learn/{SLUG}/handout").get_data(as_text=True)
    assert all(section.heading in body for section in catalog().modules[SLUG].sections("en"))
    assert "<img " in body and 'loading="lazy"' not in body  # a printout would leave out pictures not yet loaded


def test_pictures_are_served_with_a_long_cache(client):
    picture = next(catalog().modules[SLUG].folder.glob("*.svg")).name
    with client.get(f"/learn/media/{SLUG}/{picture}") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.cache_control.max_age == 7 * 24 * 3600


def test_only_pictures_of_the_module_are_served(client):
    assert client.get(f"/learn/media/{SLUG}/quiz.yaml").status_code == 404
    assert client.get(f"/learn/media/{SLUG}/..%2Fprogrammes.yaml").status_code == 404


def test_a_second_visit_is_answered_with_304(client, as_user):
    as_user()
    first = client.get(f"/learn/{SLUG}/1")
    again = client.get(f"/learn/{SLUG}/1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_etag_changes_once_the_section_is_read(client, as_user):
    as_user()
    first = client.get(f"/learn/{SLUG}/1").headers["ETag"]
    client.post(f"/learn/{SLUG}/1/read")
    assert client.get(f"/learn/{SLUG}/1", headers={"If-None-Match": first}).status_code == 200



def test_lesson_and_dashboard_queries_do_not_grow_with_history(app, client, as_user):
    as_user()
    before = (count_queries(client, f"/learn/{SLUG}/2"), count_queries(client, "/dashboard"))
    for module in list(catalog().modules.values())[:6]:
        for number in range(1, len(module.sections("en")) + 1):
            client.post(f"/learn/{module.slug}/{number}/read")
    after = (count_queries(client, f"/learn/{SLUG}/2"), count_queries(client, "/dashboard"))
    assert before == after and after[0] <= 4


def test_time_on_screen_from_the_script_is_preferred_when_sent(client, as_user):
    user = as_user()
    client.post(f"/learn/{SLUG}/1/read", data={"shown_at": 0, "visible_seconds": "42"})
    assert progress_row(user).seconds_spent == 42


def test_two_clicks_at_once_leave_one_progress_row(app, client, as_user):
    user = as_user()
    client.post(f"/learn/{SLUG}/1/read")
    client.post(f"/learn/{SLUG}/1/read")
    rows = db.session.scalars(select(ModuleProgress).where(ModuleProgress.user_id == user.id)).all()
    assert len(rows) == 1 and rows[0].sections_read == 1


def test_the_dashboard_opens_another_programme_on_request(client, as_user):
    as_user(audience="peer")
    body = client.get("/dashboard?programme=naloxone-trainer").get_data(as_text=True)
    assert body.index("Naloxone trainer") < body.index("Other programmes")
    assert "Training others" in body


def test_the_dashboard_title_is_plain_text(client, as_user):
    as_user()
    body = client.get("/dashboard").get_data(as_text=True)
    title = body[body.index("<title>") + 7:body.index("</title>")]
    assert "<" not in title and "My training" in title


def test_the_pager_names_the_part_so_it_is_not_a_second_next_button(client, as_user):
    as_user()
    body = client.get(f"/learn/{SLUG}/2").get_data(as_text=True)
    assert 'rel="prev">Back to part 1<' in body and 'rel="next">Go to part 3<' in body
    assert ">Next<" not in body  # the one "next" is "I have read this: next", which records the reading


def test_the_pre_test_is_offered_only_before_the_first_module_is_begun(client, as_user):
    as_user()
    assert "Pre-test: what do you know already?" in client.get("/dashboard").get_data(as_text=True)
    client.post("/learn/opioids-and-overdose/1/read")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "Pre-test: what do you know already?" not in body and "Final assessment" in body  # it would be refused


def test_the_last_section_links_each_source_without_telling_it_where_the_reader_came_from(client, as_user):
    as_user()
    module = catalog().modules[SLUG]
    body = client.get(f"/learn/{SLUG}/{len(module.sections('en'))}").get_data(as_text=True)
    linked = [source["url"] for source in module.sources if source.get("url")]
    assert linked and all(f'<a href="{url}" rel="noreferrer">' in body for url in linked)


def test_each_modules_progress_bar_is_named_after_its_module(client, as_user):
    as_user()
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'aria-label="Sections read of Opioids and overdose"' in body
    assert 'aria-label="Sections read of Naloxone: what it is and how to give it"' in body


def test_on_the_last_part_taking_the_quiz_also_counts_the_part_as_read(client, as_user):
    user = as_user()
    page = client.get(f"/learn/{SLUG}/7").get_data(as_text=True)
    assert page.index("I have read this: take the quiz") < page.index("Sources")  # not below the sources
    answer = client.post(f"/learn/{SLUG}/7/read", data={"then": "quiz"})
    assert answer.headers["Location"].endswith(f"/quizzes/module/{SLUG}")
    assert progress_row(user).sections_read == 7


def test_when_only_the_quiz_is_left_the_next_step_is_the_quiz(client, as_user):
    as_user()
    slug = catalog().programmes["community-response"].modules[0]  # the first module is the next step
    for number in range(1, len(catalog().modules[slug].sections("en")) + 1):
        client.post(f"/learn/{slug}/{number}/read")
    body = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/quizzes/module/{slug}">Next step: the quiz on' in body and "Only the quiz is left" in body


def test_a_passed_quiz_with_parts_not_marked_read_says_what_is_left(client, as_user):
    user = as_user()
    db.session.add(ModuleProgress(user_id=user.id, module_slug=SLUG, content_version="x", sections_total=7,
                                  sections_read=2, quiz_passed_at=utcnow()))
    db.session.commit()
    assert "Quiz passed: mark every part as read" in client.get("/dashboard").get_data(as_text=True)


def test_finishing_a_module_says_so(client, as_user):
    user = as_user()
    db.session.add(ModuleProgress(user_id=user.id, module_slug=SLUG, content_version="x", sections_total=7,
                                  sections_read=6, quiz_passed_at=utcnow()))
    db.session.commit()
    page = client.post(f"/learn/{SLUG}/7/read", follow_redirects=True).get_data(as_text=True)
    assert "You finished the module Naloxone" in page
