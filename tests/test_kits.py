"""The kit ledger: who may use it, stock arithmetic, refusing to over-hand, expiry warnings, a trainee's kits."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app import db
from tests.test_renewal_reminder import long_date
from training import kits
from training.fieldwork import KitHandout, KitReceipt

TODAY = date.today()
FAR = TODAY + timedelta(days=400)


def receive(org, lot="L1", quantity=10, expires_on=FAR, form="nasal-spray"):
    """Put kits into an organisation's stock directly."""
    db.session.add(KitReceipt(organisation_id=org.id, form=form, quantity=quantity, lot=lot, expires_on=expires_on,
                              received_on=TODAY))
    db.session.commit()


def handout_data(**fields):
    """A valid hand-out form to a walk-in."""
    return {"recipient": "", "form": "nasal-spray", "quantity": 1, "lot": "L1", "expires_on": "",
            "handed_out_on": TODAY.isoformat(), "place": "", **fields}


def test_stock_is_received_minus_handed_out_per_lot():
    lines = kits.combine_stock([("nasal-spray", "A", FAR, 10), ("ampoule", "B", FAR, 5)],
                               [("nasal-spray", "A", 3)])
    assert {(line.lot, line.on_hand) for line in lines} == {("A", 7), ("B", 5)}


def test_lots_expiring_within_90_days_are_listed():
    soon, later = TODAY + timedelta(days=30), TODAY + timedelta(days=120)
    lines = kits.combine_stock([("ampoule", "S", soon, 2), ("ampoule", "L", later, 2), ("ampoule", "G", soon, 1)],
                               [("ampoule", "G", 1)])
    assert [line.lot for line in kits.expiring_soon(lines, TODAY)] == ["S"]  # G has none left


@pytest.mark.parametrize("role", ["trainer", "coordinator"])
def test_staff_record_a_receipt_for_their_organisation(client, as_user, make_org, role):
    org = make_org()
    as_user(role, organisation_id=org.id)
    response = client.post("/kits/receive", data={"form": "ampoule", "quantity": 12, "lot": " AB-1 ",
                                                   "expires_on": FAR.isoformat(), "received_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert kits.on_hand(org.id, "ampoule", "AB-1") == 12


def test_a_trainee_may_not_open_the_ledger_and_nobody_is_sent_to_log_in(client, as_user, make_org):
    assert client.get("/kits/").status_code == 302
    as_user("trainee", organisation_id=make_org().id)
    assert client.get("/kits/").status_code == 403
    assert client.post("/kits/receive").status_code == 403


def test_staff_see_only_their_own_organisation(client, as_user, make_org):
    mine, other = make_org(), make_org()
    receive(other, lot="THEIRS")
    as_user("coordinator", organisation_id=mine.id)
    assert "THEIRS" not in client.get("/kits/").get_data(as_text=True)
    assert client.get(f"/kits/?org={other.id}").status_code == 404


def test_an_admin_chooses_an_organisation(client, as_user, make_org):
    org = make_org(name="Chosen org")
    receive(org, lot="OURS")
    as_user("admin")
    assert "Chosen org" in client.get("/kits/").get_data(as_text=True)
    assert "OURS" in client.get(f"/kits/?org={org.id}").get_data(as_text=True)


def test_a_cohort_of_another_organisation_is_not_found(client, as_user, make_org, make_cohort):
    org = make_org()
    as_user("trainer", organisation_id=org.id)
    assert client.get(f"/kits/hand-out?cohort={make_cohort().id}").status_code == 404


def test_handing_out_more_than_in_stock_is_refused(client, as_user, make_org):
    org = make_org()
    receive(org, quantity=3)
    as_user("trainer", organisation_id=org.id)
    client.post("/kits/hand-out", data=handout_data(quantity=2))
    body = client.post("/kits/hand-out", data=handout_data(quantity=2)).get_data(as_text=True)
    assert "Only 1 kit of this lot is in stock." in body
    assert db.session.scalar(select(func.sum(KitHandout.quantity))) == 2


def test_a_hand_out_to_a_cohort_member_is_recorded_with_the_lot_expiry(client, make_user, make_org, make_cohort):
    from tests.conftest import login
    org = make_org()
    trainee = make_user(organisation_id=org.id, display_name="Олена Коваленко")
    cohort = make_cohort(org=org, members=[trainee])
    receive(org, lot="Z9", expires_on=TODAY + timedelta(days=20))
    login(client, cohort.trainers[0].username)
    form = client.get(f"/kits/hand-out?cohort={cohort.id}").get_data(as_text=True)
    assert f">Олена Коваленко ({trainee.username})</option>" in form  # the name the trainer knows, told apart
    client.post(f"/kits/hand-out?cohort={cohort.id}", data=handout_data(recipient=str(trainee.id), lot="Z9"))
    row = db.session.scalar(select(KitHandout))
    assert (row.user_id, row.cohort_id, row.expires_on) == (trainee.id, cohort.id, TODAY + timedelta(days=20))


def test_a_trainer_cannot_hand_out_to_someone_outside_their_cohorts(client, as_user, make_user, make_org):
    org = make_org()
    stranger = make_user(organisation_id=make_org().id)
    receive(org)
    as_user("trainer", organisation_id=org.id)
    client.post("/kits/hand-out", data=handout_data(recipient=str(stranger.id)))
    assert db.session.scalar(select(func.count(KitHandout.id))) == 0


def test_the_ledger_highlights_kits_expiring_soon(client, as_user, make_org):
    org = make_org()
    receive(org, lot="SOON", expires_on=TODAY + timedelta(days=10))
    as_user("coordinator", organisation_id=org.id)
    body = client.get("/kits/").get_data(as_text=True)
    assert "Kits expiring within 90 days" in body and 'lot <bdi dir="ltr" class="ltr">SOON</bdi>' in body


def test_a_trainee_sees_only_their_own_kits_and_an_expired_one_says_replace_it(client, as_user, make_org):
    org = make_org()
    me = as_user(organisation_id=org.id)
    for user_id, lot in ((me.id, "MINE"), (None, "WALKIN")):
        db.session.add(KitHandout(organisation_id=org.id, user_id=user_id, form="ampoule", quantity=1, lot=lot,
                                  expires_on=TODAY - timedelta(days=1), handed_out_on=TODAY))
    db.session.commit()
    body = client.get("/kits/mine").get_data(as_text=True)
    # Written out in words, as on the dashboard's reminder.
    assert f"Expired on {long_date(TODAY - timedelta(days=1))}: replace it" in body and "WALKIN" not in body


def test_the_ledger_queries_do_not_grow_with_history(app, client, as_user, make_org, make_user):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get("/kits/")
        event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for number in range(5):
        receive(org, lot=f"L{number}")
        db.session.add(KitHandout(organisation_id=org.id, user_id=make_user().id, form="nasal-spray", quantity=1,
                                  lot=f"L{number}", expires_on=FAR, handed_out_on=TODAY))
    db.session.commit()
    assert count() == before


def test_demo_field_records_load_once(app):
    from training.demo import load_demo
    from training.demo_fieldwork import load_demo_fieldwork
    load_demo()
    assert load_demo_fieldwork() is True and load_demo_fieldwork() is False
    assert db.session.scalar(select(func.count(KitReceipt.id))) == 8


def test_two_hand_outs_at_once_cannot_both_take_the_last_kit(app, make_org):
    import threading
    org = make_org()
    receive(org, quantity=1)
    org_id, barrier, outcomes = org.id, threading.Barrier(2), []

    def hand_one() -> None:
        with app.test_request_context(method="POST"):  # as in a real POST: SQLite begins IMMEDIATE
            barrier.wait()
            try:
                kits.hand_out(KitHandout(organisation_id=org_id, form="nasal-spray", quantity=1, lot="L1",
                                         expires_on=FAR, handed_out_on=TODAY))
                db.session.commit()
                outcomes.append("ok")
            except kits.NotEnoughStock:
                outcomes.append("refused")

    threads = [threading.Thread(target=hand_one) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    db.session.rollback()  # end this test's own read, begun before the threads wrote
    assert sorted(outcomes) == ["ok", "refused"] and kits.on_hand(org_id, "nasal-spray", "L1") == 0


@pytest.mark.parametrize(("typed", "message"), [
    ({"quantity": "0"}, "Enter a number from 1 to"), ({"quantity": "1.5"}, "Not a valid integer value."),
    ({"received_on": "2026-02-30"}, "Not a valid date value."),
    ({"expires_on": "0001-01-01"}, "Enter a date between the years 2000 and 2100."),
])
def test_a_receipt_typed_wrong_says_what_is_wrong_and_adds_nothing(client, as_user, make_org, typed, message):
    org = make_org()
    as_user("coordinator", organisation_id=org.id)
    data = {"form": "ampoule", "quantity": 12, "lot": "AB-1", "expires_on": FAR.isoformat(),
            "received_on": TODAY.isoformat(), **typed}
    body = client.post("/kits/receive", data=data).get_data(as_text=True)
    assert message in body and "This field is required." not in body
    assert db.session.scalar(select(func.count(KitReceipt.id))) == 0


def test_the_ledger_writes_dates_as_the_readers_language_does(client, as_user, make_org):
    org = make_org()
    receive(org, lot="FR", expires_on=date(2027, 3, 31))
    as_user("coordinator", organisation_id=org.id, language="fr")
    body = client.get("/kits/").text
    assert "31 mars 2027" in body and "2027-03-31" not in body
