"""Quiz integrity: no key before submitting, tampering ignored, one grading per attempt, other users 404."""
import threading
from datetime import timedelta

import pytest
import requests
from conftest import PASSWORD, login
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from test_quiz_web import EN, SLUG, answers, open_quiz, rig, submit

from app import db
from quizzes.attempts import drawn_questions, read_answers
from quizzes.grading import grade_attempt
from quizzes.models import QuizAttempt
from quizzes.questions import Response
from training.models import ModuleProgress, utcnow

ALL_KINDS = ("single", "multiple", "truefalse", "ordering", "scenario")


def stored(attempt_id: int) -> QuizAttempt:
    """The attempt as the database has it now (in a new transaction, so a server's writes show)."""
    db.session.rollback()
    return db.session.get(QuizAttempt, attempt_id)


def test_take_page_has_no_key_explanation_or_score(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ALL_KINDS)
    page = client.get(f"/quizzes/module/{SLUG}", headers=EN).text
    for question in drawn_questions(attempt):
        for one in (question, *question.parts):
            assert all(text not in page for text in one.explanation.values())
    for word in ("correct", "answer-key", "Right answer", "score", "passed", "explanation", " checked"):
        assert word not in page.lower().replace("your answers", "")
    assert client.get(f"/quizzes/attempt/{attempt.id}").status_code == 302  # no result before submitting


def test_options_are_shown_in_the_stored_order(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ALL_KINDS)
    page = client.get(f"/quizzes/module/{SLUG}", headers=EN).text
    ordering = drawn_questions(attempt)[3]
    positions = [page.index(f'name="{ordering.id}.{item}"') for item in attempt.options[ordering.id]]
    assert positions == sorted(positions) and attempt.options[ordering.id] != list(ordering.answer)


def test_answers_to_questions_not_drawn_are_ignored(client, as_user):
    as_user()
    attempt = open_quiz(client)
    undrawn = next(f"{SLUG}:{q}" for q in ("call-first", "x") if f"{SLUG}:{q}" not in attempt.questions)
    submit(client, attempt, answers(attempt) | {undrawn: ["anything"], "other-module:q": ["a"]})
    assert set(stored(attempt.id).answers) == set(attempt.questions)


def test_a_changed_question_id_counts_as_unanswered(client, as_user):
    as_user()
    attempt = rig(open_quiz(client), ("single", "truefalse", "multiple"))
    form = answers(attempt)
    first = attempt.questions[0]
    form[first.replace(":", ":x")] = form.pop(first)
    page = submit(client, attempt, form).text
    assert 'id="q1-error"' in page and stored(attempt.id).submitted_at is None


def test_tampered_score_and_passed_fields_are_ignored(client, as_user):
    as_user()
    attempt = open_quiz(client)
    submit(client, attempt, answers(attempt, right=False) | {"score": ["100"], "passed": ["1"]})
    graded = stored(attempt.id)
    assert graded.score == 0 and graded.passed is False and db.session.scalar(select(ModuleProgress)) is None


def test_a_second_submission_changes_nothing(client, as_user):
    as_user()
    attempt = open_quiz(client)
    submit(client, attempt, answers(attempt, right=False))
    response = submit(client, attempt, answers(attempt), follow_redirects=True)
    assert "already submitted" in response.text
    graded = stored(attempt.id)
    assert graded.score == 0 and not graded.passed and db.session.scalar(select(ModuleProgress)) is None


def test_another_users_attempt_is_404(client, as_user, make_user):
    owner = make_user()
    login(client, owner.username)
    attempt = open_quiz(client)
    client.post("/auth/logout")
    as_user()
    assert client.get(f"/quizzes/attempt/{attempt.id}").status_code == 404
    assert submit(client, attempt, answers(attempt)).status_code == 404
    assert stored(attempt.id).submitted_at is None


def test_an_attempt_past_its_rules_is_refused(client, as_user):
    user = as_user()
    final = open_quiz(client, "/quizzes/programme/community-response/final")
    now = utcnow()
    db.session.add_all([QuizAttempt(user_id=user.id, kind="final", target="community-response", language="en",
                                     seed=1, questions=[], options={}, rules=final.rules, content_versions={},
                                     score=0, passed=False, submitted_at=now - timedelta(minutes=n))
                        for n in range(3)])
    db.session.commit()
    response = submit(client, final, answers(final), follow_redirects=True)
    assert "You can try again in" in response.text and stored(final.id).submitted_at is None


def test_one_pre_test_per_person_and_programme_in_the_schema(app, make_user):
    user = make_user()
    fields = dict(user_id=user.id, kind="pre", target="community-response", language="en", seed=1,
                  questions=[], options={}, rules={}, content_versions={}, submitted_at=utcnow())
    db.session.add_all([QuizAttempt(**fields), QuizAttempt(**fields)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    names = {i["name"] for i in inspect(db.engine).get_indexes("quiz_attempt") if i["unique"]}
    assert {"uq_quiz_attempt_open", "uq_quiz_attempt_pre"} <= names



def flashes(app, response) -> list[str]:
    """The flashed messages a response put into its session cookie."""
    cookie = response.cookies.get("session")
    data = app.session_interface.get_signing_serializer(app).loads(cookie) if cookie else {}
    return [message for _category, message in data.get("_flashes", [])]


@pytest.mark.slow
def test_twenty_simultaneous_submits_grade_once(app, live_server, make_user):
    user = make_user()
    browser = requests.Session()
    browser.post(f"{live_server}/auth/login", data={"username": user.username, "password": PASSWORD})
    browser.post(f"{live_server}/quizzes/module/{SLUG}", headers=EN)
    db.session.rollback()  # look in a new transaction, after the server's writes
    attempt = db.session.scalar(select(QuizAttempt))
    right, wrong = answers(attempt), answers(attempt, right=False)
    # Each thread sends a different mix, so a half-written mix of two submissions would show.
    owner = {k: next(i for i, q in enumerate(attempt.questions) if k == q or k.startswith((q + ".", q + "/")))
             for k in right}  # which drawn question each field belongs to
    forms = [{k: (wrong if (n >> owner[k]) & 1 else right)[k] for k in right} for n in range(20)]
    barrier, responses = threading.Barrier(20), [None] * 20

    def post(n: int) -> None:
        barrier.wait()
        responses[n] = requests.post(f"{live_server}/quizzes/attempt/{attempt.id}/submit", data=forms[n],
                                     cookies=browser.cookies, headers=EN, allow_redirects=False, timeout=30)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [302] * 20
    messages = [m for r in responses for m in flashes(app, r)]
    assert sum(m.startswith("You scored") for m in messages) == 1
    assert sum("already submitted" in m for m in messages) == 19
    graded, questions = stored(attempt.id), drawn_questions(attempt)
    sent = [{k: r.to_data() for k, r in read_answers(questions, form).items()} for form in forms]
    assert graded.answers in sent
    responses_stored = {k: Response.from_data(v) for k, v in graded.answers.items()}
    assert grade_attempt(questions, responses_stored, graded.rules["pass_mark"]).score == graded.score
    assert db.session.scalar(select(db.func.count(ModuleProgress.id))) == (1 if graded.passed else 0)
