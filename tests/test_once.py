"""One result per form: a form sent twice (a double click, a resend after a lost answer) acts once."""
import re
import threading
import urllib.parse
import urllib.request
from datetime import date, timedelta

from sqlalchemy import func, select

from app import db
from tests.test_overdose_reports import report_data
from training.cohorts import Cohort
from training.fieldwork import KitHandout, KitReceipt, OverdoseReport
from training.models import utcnow
from training.once import FormSubmission

FAR = (date.today() + timedelta(days=400)).isoformat()


def shown_key(client, path: str) -> str:
    """The key of the form as a page shows it."""
    return re.search(r'name="once" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def count(model) -> int:
    """How many rows a table holds."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_receipt_sent_twice_is_recorded_once_and_the_second_send_is_told_so(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    data = {"once": shown_key(client, "/kits/receive"), "form": "ampoule", "quantity": 10, "lot": "A1",
            "expires_on": FAR, "received_on": date.today().isoformat()}
    first, second = client.post("/kits/receive", data=data), client.post("/kits/receive", data=data)
    assert first.headers["Location"] == second.headers["Location"]  # both lead to the ledger
    assert count(KitReceipt) == 1
    assert "This form was already sent. It is recorded once." in client.get(second.headers["Location"]).get_data(
        as_text=True)


def test_a_refused_hand_out_can_be_corrected_and_sent_with_the_same_key(client, as_user, make_org):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    db.session.add(KitReceipt(organisation_id=org.id, form="nasal-spray", quantity=2, lot="L1",
                              expires_on=date.today() + timedelta(days=400), received_on=date.today()))
    db.session.commit()
    data = {"once": shown_key(client, "/kits/hand-out"), "recipient": "", "form": "nasal-spray", "quantity": 5,
            "lot": "L1", "expires_on": "", "handed_out_on": date.today().isoformat(), "place": ""}
    assert "Only 2 kits of this lot are in stock." in client.post("/kits/hand-out", data=data).get_data(as_text=True)
    assert client.post("/kits/hand-out", data={**data, "quantity": 1}).status_code == 302  # the key was not used up
    client.post("/kits/hand-out", data={**data, "quantity": 1})
    assert db.session.scalars(select(KitHandout.quantity)).all() == [1]


def test_a_cohort_created_twice_is_one_cohort_and_the_resend_opens_it(client, as_user, make_org):
    org = make_org()
    as_user("trainer", organisation_id=org.id)
    data = {"once": shown_key(client, "/cohorts/new"), "name": "Evening group", "programme": "community-response",
            "language": "en", "delivery": "in-person"}
    first, second = client.post("/cohorts/new", data=data), client.post("/cohorts/new", data=data)
    (cohort,) = db.session.scalars(select(Cohort)).all()
    assert first.headers["Location"] == second.headers["Location"] == f"/cohorts/{cohort.id}"


def test_two_reports_sent_at_the_same_moment_store_one(app, live_server):
    key, answers, barrier = "k" * 43, [], threading.Barrier(2)
    body = urllib.parse.urlencode({**report_data(), "once": key}, doseq=True).encode()

    def send() -> None:
        barrier.wait()
        with urllib.request.urlopen(f"{live_server}/report", data=body) as answer:  # noqa: S310 - the test server
            answers.append(answer.url)

    threads = [threading.Thread(target=send) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    db.session.rollback()  # see what the server's threads committed
    assert count(OverdoseReport) == 1 and len(answers) == 2 and all("/report/thanks" in url for url in answers)


def test_keys_are_forgotten_after_two_days_by_the_daily_purge(app, runner):
    db.session.add_all([FormSubmission(key="old", created_at=utcnow() - timedelta(days=3)), FormSubmission(key="new")])
    db.session.commit()
    runner.invoke(args=["privacy", "purge"])
    assert db.session.scalars(select(FormSubmission.key)).all() == ["new"]


def test_a_sign_up_sent_again_after_a_lost_answer_logs_the_new_account_in(app, make_user):
    from training.models import User

    first_tab, resend = app.test_client(), app.test_client()  # the first answer (and its cookie) never arrived
    data = {"once": shown_key(first_tab, "/auth/signup"), "username": "river", "password": "blue-heron-rises",
            "confirm": "blue-heron-rises", "consent": "y"}
    assert first_tab.post("/auth/signup", data=data).status_code == 302
    again = resend.post("/auth/signup", data=data)
    assert again.headers["Location"] == "/dashboard" and resend.get("/dashboard").status_code == 200
    assert db.session.scalar(select(func.count(User.id))) == 1
    # The key alone is not enough: someone sending it with another password is logged in as nobody.
    stranger = app.test_client()
    other = {"password": "another-long-one", "confirm": "another-long-one"}
    refused = stranger.post("/auth/signup", data={**data, **other})
    assert "/auth/login" in refused.headers["Location"] and stranger.get("/dashboard").status_code == 302


def test_an_award_clicked_twice_says_it_was_sent_once_not_that_the_person_already_holds_one(client, make_user,
                                                                                             make_org):
    from tests.conftest import login

    org = make_org()
    trainee = make_user(organisation_id=org.id)
    login(client, make_user("coordinator", organisation_id=org.id).username)
    data = {"once": shown_key(client, "/certificates/award"), "username": trainee.username,
            "programme": "community-response", "reason": "Assessed on paper at the field session"}
    client.post("/certificates/award", data=data)
    second = client.post("/certificates/award", data=data, follow_redirects=True).get_data(as_text=True)
    assert "This form was already sent. It is recorded once." in second and "already holds" not in second
