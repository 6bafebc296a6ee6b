"""A trainer's "difficult questions" page: each trainee's last answer to each question, hardest first."""
from app import db
from quizzes.attempts import bank_of, drawn_questions, shown_options
from tests.conftest import count_queries, login
from tests.test_quiz_web import SLUG, answers, open_quiz, rig, submit

EN = {"Accept-Language": "en"}
PRE_TEST = "/quizzes/programme/community-response/pre"


def single_questions():
    """Two one-answer questions of the module, with their right and two wrong options."""
    found = [q for q in bank_of(SLUG).questions if q.kind == "single"][:2]
    return [(q, q.answer[0], *[c for c in q.choices if c not in q.answer][:2]) for q in found]


def take(app, user, given: dict[str, str], url: str = f"/quizzes/module/{SLUG}") -> None:
    """As the trainee, draw a quiz holding exactly these questions and send these answers."""
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    attempt = open_quiz(client, url)
    attempt.questions = list(given)
    attempt.options = shown_options(drawn_questions(attempt), attempt.seed, True)
    db.session.commit()
    assert submit(client, attempt, {qid: [option] for qid, option in given.items()}).status_code == 302


def page(client, cohort, query: str = "") -> str:
    """The cohort's difficult-questions page, in English."""
    response = client.get(f"/cohorts/{cohort.id}/questions{query}", headers=EN)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_trainee_counts_once_with_their_last_answer_hardest_first(app, client, make_user, make_cohort):
    (q1, right1, wrong1, other1), (q2, right2, wrong2, _) = single_questions()
    a, b, c, outsider = (make_user() for _ in range(4))
    cohort = make_cohort(members=[a, b, c])
    take(app, a, {q1.id: wrong1, q2.id: right2})
    take(app, b, {q1.id: wrong1, q2.id: wrong2})
    take(app, c, {q1.id: other1, q2.id: right2})
    take(app, c, {q1.id: right1, q2.id: right2})  # c put the mistake right: only the last answer counts
    take(app, outsider, {q2.id: wrong2})  # not in the cohort
    login(client, cohort.trainers[0].username)
    html = page(client, cohort)
    assert "2 of 3 trainees got this wrong" in html and "1 of 3 trainees got this wrong" in html
    assert html.index(q1.prompt_in("en")) < html.index("2 of 3") < html.index(q2.prompt_in("en"))
    assert f"Most common wrong answer: “{q1.label(wrong1, 'en')}” (2 trainees)" in html
    assert q1.label(other1, "en") not in html  # c's earlier mistake no longer counts
    assert f"Right answer: {q1.label(right1, 'en')}" in html


def test_the_usual_mistake_is_the_one_most_trainees_made(app, client, make_user, make_cohort):
    (q1, right1, wrong1, other1), _ = single_questions()
    trainees = [make_user() for _ in range(3)]
    cohort = make_cohort(members=trainees)
    for trainee, option in zip(trainees, (other1, wrong1, other1), strict=True):
        take(app, trainee, {q1.id: option})
    login(client, cohort.trainers[0].username)
    html = page(client, cohort)
    assert "3 of 3 trainees got this wrong" in html
    assert f"Most common wrong answer: “{q1.label(other1, 'en')}” (2 trainees)" in html


def test_pre_test_answers_are_shown_apart_from_answers_after_learning(app, client, make_user, make_cohort):
    (q1, _, wrong1, _), _ = single_questions()
    trainee = make_user()
    cohort = make_cohort(members=[trainee])
    take(app, trainee, {q1.id: wrong1}, PRE_TEST)
    login(client, cohort.trainers[0].username)
    assert "No quiz answers from this cohort's trainees yet." in page(client, cohort)
    before = page(client, cohort, "?scope=pre")
    assert "1 of 1 trainee got this wrong" in before and q1.prompt_in("en") in before


def test_an_unknown_choice_says_so_and_shows_answers_after_learning(app, client, make_user, make_cohort):
    (q1, _, wrong1, _), _ = single_questions()
    trainee = make_user()
    cohort = make_cohort(members=[trainee])
    take(app, trainee, {q1.id: wrong1})
    login(client, cohort.trainers[0].username)
    html = page(client, cohort, "?scope=everything")
    assert "Choose one of the options in the list." in html and "1 of 1 trainee got this wrong" in html


def test_questions_everyone_got_right_are_counted_not_listed(app, client, make_user, make_cohort):
    (q1, right1, wrong1, _), (q2, right2, _, _) = single_questions()
    trainee = make_user()
    cohort = make_cohort(members=[trainee])
    take(app, trainee, {q1.id: right1, q2.id: right2})
    login(client, cohort.trainers[0].username)
    assert "Everyone answered all 2 questions they saw right." in page(client, cohort)
    take(app, trainee, {q1.id: wrong1, q2.id: right2})
    html = page(client, cohort)
    assert "1 other question: everyone answered it right." in html and q2.prompt_in("en") not in html


def test_every_kind_of_question_shows_its_right_answer(app, client, make_user, make_cohort):
    trainee = make_user()
    cohort = make_cohort(members=[trainee])
    trainee_client = app.test_client()
    login(trainee_client, trainee.username)
    attempt = rig(open_quiz(trainee_client), ("single", "multiple", "truefalse", "ordering", "scenario"))
    submit(trainee_client, attempt, answers(attempt, right=False))
    login(client, cohort.trainers[0].username)
    html = page(client, cohort)
    assert html.count("1 of 1 trainee got this wrong") == 5 and "<h2></h2>" not in html  # a scenario's story heads it
    for question in drawn_questions(attempt):
        for one in question.parts or (question,):
            assert one.prompt_in("en") in html
    assert html.count("Right answer:") == 4 + len(drawn_questions(attempt)[-1].parts)


def test_the_page_makes_the_same_queries_whatever_the_cohorts_size(app, client, make_user, make_cohort):
    (q1, _, wrong1, _), (q2, _, wrong2, _) = single_questions()
    trainees = [make_user() for _ in range(4)]
    cohort = make_cohort(members=trainees)
    take(app, trainees[0], {q1.id: wrong1})
    login(client, cohort.trainers[0].username)
    few = count_queries(client, f"/cohorts/{cohort.id}/questions")
    for trainee in trainees[1:]:
        take(app, trainee, {q1.id: wrong1, q2.id: wrong2})
    assert count_queries(client, f"/cohorts/{cohort.id}/questions") == few


def test_the_cohort_page_leads_to_difficult_questions_and_paper_results(client, make_cohort):
    cohort = make_cohort()
    login(client, cohort.trainers[0].username)
    html = client.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/questions"' in html and f'href="/cohorts/{cohort.id}/paper-scores"' in html
