"""The dashboard reminds a person whose naloxone has expired or soon will, until a new kit or until they hide it."""
from datetime import date, timedelta

from sqlalchemy import func, select

from app import db
from tests.conftest import count_queries, login
from tests.test_renewal_reminder import dashboard, long_date
from training.fieldwork import KitHandout
from training.notices import HiddenNotice

TODAY = date.today()


def kit(user, org, expires_in_days: int, lot: str = "L1") -> date:
    """Record one kit handed to the user, expiring that many days from today; return its expiry date."""
    expires_on = TODAY + timedelta(days=expires_in_days)
    db.session.add(KitHandout(organisation_id=org.id, user_id=user.id, form="nasal-spray", quantity=1, lot=lot,
                              expires_on=expires_on, handed_out_on=TODAY - timedelta(days=400)))
    db.session.commit()
    return expires_on


def hide(client, *keys: str):
    """Press "Hide this reminder" with these keys and follow to the page it leads to."""
    return client.post("/notices/hide", data={"key": list(keys)}, follow_redirects=True)


def test_naloxone_expiring_within_90_days_is_announced_with_its_date_and_a_link(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    expires_on = kit(user, org, 30)
    html = dashboard(client)
    assert "Time to replace your naloxone" in html and 'href="/kits/mine"' in html
    assert f"Your naloxone expires on {long_date(expires_on)}." in html


def test_expired_naloxone_says_it_may_still_help_but_should_be_replaced(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    expires_on = kit(user, org, -5)
    html = dashboard(client)
    assert f"Your naloxone expired on {long_date(expires_on)}." in html
    assert "An expired kit may still help in an emergency, but ask your trainer for a new one." in html


def test_a_newer_kit_ends_the_reminder_and_nobody_elses_kit_counts(client, as_user, make_org, make_user):
    org = make_org()
    user = as_user(organisation_id=org.id)
    kit(make_user(organisation_id=org.id), org, -5)
    assert "Time to replace" not in dashboard(client)  # no kit of mine: nothing to replace
    kit(user, org, -5, lot="OLD")
    assert "Time to replace" in dashboard(client)
    kit(user, org, 700, lot="NEW")
    assert "Time to replace" not in dashboard(client)


def test_hiding_the_reminder_keeps_it_hidden_and_hides_it_for_nobody_else(client, app, as_user, make_org, make_user):
    org = make_org()
    user = as_user(organisation_id=org.id)
    other = make_user(organisation_id=org.id)
    expires_on = kit(user, org, -5)
    kit(other, org, -5)
    page = hide(client, f"kit:{expires_on.isoformat()}")
    html = page.get_data(as_text=True)
    assert page.request.path == "/dashboard" and "The reminder is hidden." in html
    assert "Time to replace" not in html and "Time to replace" not in dashboard(client)
    other_client = app.test_client()
    login(other_client, other.username)
    assert "Time to replace" in dashboard(other_client)


def test_a_new_kit_that_expires_in_turn_is_reminded_of_again(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    hide(client, f"kit:{kit(user, org, -400, lot='FIRST').isoformat()}")
    kit(user, org, 20, lot="SECOND")
    assert "Time to replace your naloxone" in dashboard(client)


def test_hiding_twice_stores_one_row(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    key = f"kit:{kit(user, org, -5).isoformat()}"
    for _ in range(2):
        assert "The reminder is hidden." in hide(client, key).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(HiddenNotice)) == 1


def test_a_malformed_key_is_refused_with_a_message_and_stores_nothing(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    key = f"kit:{kit(user, org, -5).isoformat()}"
    for keys in ((), (key, "<script>"), ("kit:" + "9" * 80,), ("k" * 30 + ":1",)):
        html = hide(client, *keys).get_data(as_text=True)
        assert "This reminder could not be hidden. Please try again." in html and "Time to replace" in html
    assert db.session.scalar(select(func.count()).select_from(HiddenNotice)) == 0


def test_the_reminder_and_its_button_are_in_the_readers_language(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id, language="ar")
    kit(user, org, -5)
    html = dashboard(client, "ar")
    assert "حان وقت استبدال النالوكسون" in html and "إخفاء هذا التذكير" in html and "Time to replace" not in html


def test_the_reminder_costs_one_query_however_many_kits_and_none_more_for_hidden_ones(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    none = count_queries(client, "/dashboard")
    expires_on = kit(user, org, -5)
    for lot in ("A", "B", "C"):
        kit(user, org, -30, lot=lot)
    # One more read when there is a reminder: the person's hidden reminders, in case this one is among them.
    assert count_queries(client, "/dashboard") == none + 1
    hide(client, f"kit:{expires_on.isoformat()}")
    assert count_queries(client, "/dashboard") == none + 1


def test_my_data_lists_the_reminders_i_hid(client, as_user, make_org):
    org = make_org()
    user = as_user(organisation_id=org.id)
    key = f"kit:{kit(user, org, -5).isoformat()}"
    assert "No hidden reminders." in client.get("/account/data").get_data(as_text=True)
    hide(client, key)
    assert [row["key"] for row in client.get("/account/data.json").get_json()["hidden_reminders"]] == [key]
