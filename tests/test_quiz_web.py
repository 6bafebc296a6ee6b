"""Taking quizzes through the web: module quiz, review policy, progress, pre-test, final, history."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from quizzes.attempts import bank_of, drawn_questions, next_start, shown_options
from quizzes.bank import QuizRules
from quizzes.models import QuizAttempt
from quizzes.presenting import present
from tests.conftest import count_queries
from training.content import catalog
from training.models import ModuleProgress, utcnow

SLUG = "responding-step-by-step"
EN = {"Accept-Language": "en"}


def wrong(question) -> list[str]:
    """An answer that is certainly wrong."""
    if question.kind == "ordering":
        return list(reversed(question.answer))
    if question.kind == "multiple":
        return [c for c in question.choices if c not in question.answer][:1] or list(question.choices[:1])
    return [next(c for c in question.choices if c not in question.answer)]


def answers(attempt: QuizAttempt, right: bool = True) -> dict[str, list[str]]:
    """Form fields answering every drawn question, rightly or wrongly."""
    form = {}
    for question in drawn_questions(attempt):
        for one in question.parts or (question,):
            given = list(one.answer) if right else wrong(one)
            if one.kind == "ordering":
                form |= {f"{one.id}.{item}": [str(n)] for n, item in enumerate(given, 1)}
            else:
                form[one.id] = given
    return form


def open_quiz(client, url: str = f"/quizzes/module/{SLUG}") -> QuizAttempt:
    """Press Start on a quiz page, open the quiz and return the attempt it drew."""
    assert client.post(url, headers=EN).status_code == 302
    assert client.get(url, headers=EN).status_code == 200
    return db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()


def rig(attempt: QuizAttempt, kinds: tuple[str, ...]) -> QuizAttempt:
    """Make the attempt hold one question of each kind, so a test covers them all."""
    bank = bank_of(attempt.target)
    attempt.questions = [next(q.id for q in bank.questions if q.kind == kind) for kind in kinds]
    attempt.options = shown_options(drawn_questions(attempt), attempt.seed, True)
    db.session.commit()
    return attempt


def submit(client, attempt, form, **kwargs):
    """Post answers to an attempt."""
    return client.post(f"/quizzes/attempt/{attempt.id}/submit", data=form, headers=EN, **kwargs)


def test_module_quiz_draws_five_and_stores_what_was_shown(client, as_user):
    as_user()
    attempt = open_quiz(client)
    assert len(attempt.questions) == 5 and all(q.startswith(f"{SLUG}:") for q in attempt.questions)
    assert attempt.rules == QuizRules().to_dict() | bank_of(SLUG).rules.to_dict()
    assert set(attempt.content_versions) == {SLUG} and attempt.submitted_at is None
    assert set(attempt.questions) <= set(attempt.options)


def test_reopening_resumes_the_same_draw(client, as_user):
    as_user()
    first = open_quiz(client)
    again = open_quiz(client)
    assert first.id == again.id and db.session.scalar(select(db.func.count(QuizAttempt.id))) == 1


def test_take_page_is_accessible_form(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ("single", "multiple", "truefalse", "ordering", "scenario"))
    page = client.get(f"/quizzes/module/{SLUG}", headers=EN).text
    assert page.count("<fieldset") == 4 + len(drawn_questions(attempt)[4].parts)
    assert page.count("<legend") == page.count("<fieldset") and 'name="csrf_token"' in page
    ordering = drawn_questions(attempt)[3]
    assert all(f'name="{ordering.id}.{item}"' in page for item in ordering.choices)
    assert "/learn/media/" in page or not drawn_questions(attempt)[4].picture


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_scenario_picture_is_described_in_the_readers_language(app, language):
    """People who cannot see the picture hear the lesson's own description of it, in their language."""
    question = bank_of("recognising-an-overdose").by_id["case-bathroom-floor"]
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = present(question, {}, language, "q1")
    lesson = catalog().modules["recognising-an-overdose"].sections(language)
    assert shown.picture_alt and any(f"![{shown.picture_alt}](person-on-floor.svg)" in s.body for s in lesson)


def test_passing_records_progress_and_shows_answers(client, as_user):
    user = as_user()
    attempt = rig(open_quiz(client), ("single", "multiple", "truefalse", "ordering", "scenario"))
    response = submit(client, attempt, answers(attempt), follow_redirects=True)
    assert "Your score: 100%" in response.text and "You passed." in response.text
    assert "Right answer:" in response.text
    progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id))
    assert progress.quiz_passed_at and progress.sections_read == 0 and progress.completed_at is None
    db.session.refresh(attempt)
    assert attempt.score == 100 and attempt.passed and attempt.answers


def test_passing_completes_a_read_module(client, as_user):
    user = as_user()
    db.session.add(ModuleProgress(user_id=user.id, module_slug=SLUG, content_version="x", sections_total=3,
                                  sections_read=3, read_at=utcnow()))
    db.session.commit()
    attempt = open_quiz(client)
    submit(client, attempt, answers(attempt))
    progress = db.session.scalar(select(ModuleProgress))
    db.session.refresh(progress)
    assert progress.completed_at is not None


def test_failing_explains_the_right_answers_only_and_shows_no_key(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ("single", "multiple", "truefalse", "ordering", "scenario"))
    first, *wrong_ones = drawn_questions(attempt)
    form = answers(attempt, right=False) | {first.id: list(first.answer)}  # one right, four wrong: a fail
    response = submit(client, attempt, form, follow_redirects=True)
    db.session.refresh(attempt)
    assert attempt.passed is False and "Right answer:" not in response.text

    def explained(question) -> bool:
        texts = [one.explanation_in("en") for one in (question, *question.parts) if one.explanation_in("en")]
        assert texts  # every question, or each part of a situation, has one
        return any(text.replace("'", "&#39;") in response.text for text in texts)

    assert explained(first)
    assert not any(explained(question) for question in wrong_ones)  # it would name the right answer
    assert "Try again" in response.text
    assert db.session.scalar(select(ModuleProgress)) is None


def test_unanswered_questions_are_errors_tied_to_fields_and_keep_answers(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ("single", "truefalse", "ordering"))
    form = answers(attempt)
    truefalse = drawn_questions(attempt)[1]
    del form[truefalse.id]
    page = submit(client, attempt, form).text
    assert 'aria-describedby="q2-error"' in page and 'id="q2-error"' in page and 'href="#q2"' in page
    assert f'value="{form[drawn_questions(attempt)[0].id][0]}" checked' in page
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None


def test_history_lists_attempts_with_scores_in_fixed_queries(client, as_user):
    as_user()
    for right in (False, True):
        attempt = open_quiz(client)
        submit(client, attempt, answers(attempt, right=right))
    page = client.get("/quizzes/history", headers=EN).text
    assert page.count('<tr role="row">') == 3 and "100%" in page and "Not passed" in page and "Passed" in page


def test_pre_test_then_final_shows_knowledge_gain(client, as_user):
    as_user()
    pre = open_quiz(client, "/quizzes/programme/community-response/pre")
    assert pre.kind == "pre" and len(pre.questions) == 16 and len(pre.content_versions) == 8
    page = submit(client, pre, answers(pre, right=False), follow_redirects=True).text
    assert "Right answer:" not in page
    assert "already taken" in client.get("/quizzes/programme/community-response/pre", headers=EN).text
    final = open_quiz(client, "/quizzes/programme/community-response/final")
    page = submit(client, final, answers(final), follow_redirects=True).text
    assert "Knowledge gain since your pre-test: +100 points." in page
    assert "+100 points" in client.get("/quizzes/history", headers=EN).text


def test_pre_test_is_offered_only_before_learning(client, as_user):
    user = as_user()
    db.session.add(ModuleProgress(user_id=user.id, module_slug=SLUG, content_version="x", sections_total=3))
    db.session.commit()
    page = client.get("/quizzes/programme/community-response/pre", headers=EN).text
    assert "before the first module" in page and db.session.scalar(select(QuizAttempt)) is None


def test_final_allows_three_failures_then_waits_a_day(client, as_user):
    as_user()
    for _ in range(3):
        final = open_quiz(client, "/quizzes/programme/community-response/final")
        submit(client, final, answers(final, right=False))
    page = client.get("/quizzes/programme/community-response/final", headers=EN).text
    assert "You can try again in 1 day. Read the modules again meanwhile." in page
    db.session.expire_all()
    for attempt in db.session.scalars(select(QuizAttempt)):
        attempt.submitted_at -= timedelta(hours=25)
    db.session.commit()
    assert open_quiz(client, "/quizzes/programme/community-response/final").submitted_at is None


def test_the_final_says_how_many_tries_there_are_and_how_many_are_left(client, as_user):
    as_user()
    page = client.get("/quizzes/programme/community-response/final", headers=EN).text
    assert "You can try 3 times, then wait 24 hours before trying again." in page and "Tries left now: 3" in page
    final = open_quiz(client, "/quizzes/programme/community-response/final")
    submit(client, final, answers(final, right=False))
    assert "Tries left now: 2" in client.get("/quizzes/programme/community-response/final", headers=EN).text


def test_the_pre_test_does_not_talk_of_passing(client, as_user):
    as_user()
    page = client.get("/quizzes/programme/community-response/pre", headers=EN).text
    assert "only shows what you know already" in page and "You pass with" not in page


@pytest.mark.parametrize("results, waits", [
    ((False,), False), ((False, False, False), True), ((True, False, False, False), True),
    ((False, False, False, False), False),
])
def test_next_start_after_each_block_of_failures(results, waits):
    rules, now = QuizRules(attempts=3, wait_hours=24), utcnow()
    done = [QuizAttempt(passed=p, submitted_at=now) for p in results]
    assert (next_start(rules, done) == now + timedelta(hours=24)) is waits


def test_unknown_quizzes_are_404(client, as_user):
    as_user()
    assert client.get("/quizzes/module/nope").status_code == 404
    assert client.get("/quizzes/programme/community-response/middle").status_code == 404
    assert client.get("/quizzes/programme/nope/final").status_code == 404


def test_quiz_pages_need_login(client):
    assert client.get(f"/quizzes/module/{SLUG}").status_code == 302
    assert client.get("/quizzes/history").status_code == 302



def test_history_makes_the_same_queries_whatever_the_number_of_attempts(client, as_user):
    as_user()
    attempt = open_quiz(client)
    submit(client, attempt, answers(attempt, right=False))
    few = count_queries(client, "/quizzes/history")
    for _ in range(4):
        attempt = open_quiz(client)
        submit(client, attempt, answers(attempt, right=False))
    assert count_queries(client, "/quizzes/history") == few


def test_an_old_result_still_shows_after_a_question_left_the_bank(client, as_user):
    as_user()
    attempt = open_quiz(client)
    submit(client, attempt, answers(attempt))
    attempt = db.session.get(QuizAttempt, attempt.id)
    attempt.questions = [*attempt.questions, f"{SLUG}:removed-question"]
    db.session.commit()
    assert "Your score: 100%" in client.get(f"/quizzes/attempt/{attempt.id}", headers=EN).text


def test_opening_a_quiz_draws_nothing_until_start_is_pressed(client, as_user):
    as_user()
    page = client.get(f"/quizzes/module/{SLUG}", headers=EN).text
    assert "Start" in page and db.session.scalar(select(QuizAttempt.id)) is None


def test_two_presses_of_start_draw_one_attempt(client, as_user):
    as_user()
    client.post(f"/quizzes/module/{SLUG}")
    client.post(f"/quizzes/module/{SLUG}")
    assert len(db.session.scalars(select(QuizAttempt)).all()) == 1


def test_a_question_with_several_right_answers_says_so_to_screen_readers(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ("multiple", "single"))
    page = submit(client, attempt, {}).text  # sent empty, so each question also carries its error
    assert 'id="q1" aria-describedby="q1-hint q1-error"' in page and 'id="q1-hint"' in page
    assert 'id="q2" aria-describedby="q2-error"' in page  # a single-answer question has no such hint


def test_a_failed_module_quiz_leads_back_to_the_module_and_says_when_answers_show(client, as_user):
    as_user()
    attempt = open_quiz(client)
    page = submit(client, attempt, answers(attempt, right=False), follow_redirects=True).text
    assert f'href="/learn/{SLUG}/1">Read the module again' in page
    assert "The right answers are shown once you pass. Read the module again" in page
    assert "used all your attempts" not in page  # a module quiz has no last attempt


def test_a_passed_final_leads_to_the_certificate(client, as_user):
    as_user()
    final = open_quiz(client, "/quizzes/programme/community-response/final")
    page = submit(client, final, answers(final), follow_redirects=True).text
    assert 'href="/certificates/">See my certificate' in page
