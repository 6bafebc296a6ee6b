"""Follow-ups after certification: created once, due only after their date, answered or dismissed by the owner."""
from datetime import date, timedelta

from sqlalchemy import func, select

from app import db
from training.fieldwork import FollowUp
from training.followup import add_months, create_followups, due_followup

PROGRAMME = "community-response"


def followups_for(user, certified_on):
    """Create and save the follow-ups of one certification."""
    create_followups(user.id, PROGRAMME, certified_on)
    db.session.commit()
    return db.session.scalars(select(FollowUp).where(FollowUp.user_id == user.id).order_by(FollowUp.round)).all()


def test_months_are_added_without_running_past_the_month_end():
    assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_creating_follow_ups_twice_makes_two_rows(make_user):
    user = make_user()
    followups_for(user, date(2026, 1, 10))
    rows = followups_for(user, date(2026, 1, 10))
    assert [(row.round, row.due_on) for row in rows] == [(3, date(2026, 4, 10)), (6, date(2026, 7, 10))]


def test_a_follow_up_is_due_only_after_its_date(make_user):
    user = make_user()
    three, six = followups_for(user, date(2026, 1, 10))
    assert due_followup(user, date(2026, 4, 9)) is None
    assert due_followup(user, date(2026, 4, 10)) == three
    assert due_followup(user, date(2026, 8, 1)) == six


def test_the_panel_answers_with_one_tap_and_the_first_answer_stays(client, as_user):
    user = as_user()
    row = followups_for(user, date.today() - timedelta(days=200))[1]
    response = client.post(f"/followup/{row.id}/answer", data={"carries": "yes", "used": "no"})
    assert response.status_code == 302
    client.post(f"/followup/{row.id}/answer", data={"carries": "no", "used": "yes"})
    db.session.refresh(row)
    assert (row.carries_naloxone, row.used_since) == (True, False)
    assert due_followup(user) is None  # the older 3-month round is settled too


def test_someone_who_used_naloxone_is_offered_the_anonymous_report_next(client, as_user):
    user = as_user()
    row = followups_for(user, date.today() - timedelta(days=100))[0]
    response = client.post(f"/followup/{row.id}/answer", data={"carries": "yes", "used": "yes"})
    assert response.headers["Location"].endswith("/report")
    assert "tell us what happened" in client.get("/report").get_data(as_text=True)


def test_dismissing_stops_the_question(client, as_user):
    user = as_user()
    row = followups_for(user, date.today() - timedelta(days=100))[0]
    client.post(f"/followup/{row.id}/dismiss")
    assert due_followup(user) is None


def test_only_the_owner_may_answer_or_dismiss(client, as_user, make_user):
    other = make_user()
    row = followups_for(other, date.today() - timedelta(days=100))[0]
    as_user()
    assert client.post(f"/followup/{row.id}/answer", data={"carries": "yes", "used": "no"}).status_code == 404
    assert client.post(f"/followup/{row.id}/dismiss").status_code == 404
    assert db.session.scalar(select(func.count(FollowUp.id)).where(FollowUp.answered_at.is_not(None))) == 0


def test_nobody_logged_in_is_sent_to_log_in(client, make_user):
    row = followups_for(make_user(), date.today() - timedelta(days=100))[0]
    assert client.post(f"/followup/{row.id}/dismiss").status_code == 302
    db.session.refresh(row)
    assert row.dismissed_at is None


def test_the_panel_renders_the_questions(app, make_user):
    from flask import render_template
    user = make_user()
    row = followups_for(user, date.today() - timedelta(days=100))[0]
    with app.test_request_context():
        html = render_template("followup/_panel.html", followup=row)
    assert "Do you carry naloxone now?" in html and f"/followup/{row.id}/dismiss" in html


def test_the_demo_asks_follow_ups_only_of_people_it_certified(runner):
    from certificates.models import Certificate
    from training.models import User

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    certified = set(db.session.execute(select(Certificate.user_id, Certificate.programme_slug)))
    asked = set(db.session.execute(select(FollowUp.user_id, FollowUp.programme_slug)))
    assert asked and asked <= certified
    trainee, dana = (db.session.scalar(select(User).where(User.username == name)) for name in ("trainee", "demo-dana"))
    assert due_followup(trainee) is None  # the demo trainee has not started: nothing "after your training" yet
    assert due_followup(dana).round == 6
    assert db.session.scalar(select(func.count(FollowUp.id)).where(FollowUp.answered_at.is_not(None))) == 1
