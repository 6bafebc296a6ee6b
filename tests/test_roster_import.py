"""CSV roster import: checking the file, the preview, confirming, accounts and one-time passwords."""
import io
import re

import pytest
from conftest import login
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import db
from training.cohorts import Membership
from training.models import User
from training.roster_import import FileProblem, decode, parse, read_rows

GOOD = "username,display_name,audience,language\nriver,River B,peer,fr\nsky,,family,\n"


@pytest.fixture
def trainer_client(client, make_cohort):
    """A client logged in as the trainer of an empty cohort; returns (client, cohort)."""
    cohort = make_cohort(name="Night outreach")
    login(client, cohort.trainers[0].username)
    return client, cohort


def upload(client, cohort, content: str | bytes, name="people.csv"):
    """Send a file to the import form (encoded in memory: the test client leaks a temporary file for big ones)."""
    data = content.encode() if isinstance(content, str) else content
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(f"/cohorts/{cohort.id}/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def payload_of(page: str) -> str:
    """The signed payload in the preview's confirm form."""
    return re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)


def enrolled(cohort) -> int:
    """How many people are enrolled in the cohort."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort.id))


def test_a_good_file_previews_then_imports_with_slips(trainer_client):
    client, cohort = trainer_client
    preview = upload(client, cohort, "\ufeff" + GOOD).get_data(as_text=True)
    assert "All 2 rows are correct" in preview and enrolled(cohort) == 0
    assert "<td>A family member or friend</td>" in preview and "<td>Français</td>" in preview  # words, not codes
    response = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": payload_of(preview)})
    slips = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store" and "Night outreach" in slips
    river = db.session.scalar(select(User).where(User.username == "river"))
    assert river.must_change_password and river.language == "fr" and river.organisation_id == cohort.organisation_id
    assert enrolled(cohort) == 2 and "choose your own password" in slips


def test_the_one_time_password_works_once_then_forces_a_change(trainer_client, app):
    client, cohort = trainer_client
    preview = upload(client, cohort, GOOD).get_data(as_text=True)
    slips = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": payload_of(preview)})
    password = re.search(r"<code>river</code>.*?<code>([a-z0-9]{10})</code>", slips.get_data(as_text=True), re.S)[1]
    trainee = app.test_client()
    assert login(trainee, "river", password).headers["Location"] == "/account/password"
    assert trainee.get("/dashboard").headers["Location"] == "/account/password"
    assert password not in client.get(f"/cohorts/{cohort.id}/roster").get_data(as_text=True)


def test_one_bad_row_imports_nothing_and_names_the_row(trainer_client):
    client, cohort = trainer_client
    page = upload(client, cohort, GOOD + "x!,Bad,alien,\n").get_data(as_text=True)
    assert "1 of 3 rows has a problem. Nothing was imported." in page
    assert "Line 4, Username" in page
    assert "Line 4, Audience: “alien” is not allowed here. Use one of: peer, family, responder, provider." in page
    assert "Confirm the import" not in page and enrolled(cohort) == 0
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "river")) == 0


def test_semicolons_and_an_existing_member_of_the_organisation(trainer_client, make_user):
    client, cohort = trainer_client
    make_user(username="known", organisation_id=cohort.organisation_id, display_name="Kept")
    preview = upload(client, cohort, "username;display_name\nknown;Changed\nnew.one;N\n").get_data(as_text=True)
    assert "Existing account: will be enrolled" in preview
    client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": payload_of(preview)})
    known = db.session.scalar(select(User).where(User.username == "known"))
    assert enrolled(cohort) == 2 and known.display_name == "Kept" and not known.must_change_password


def test_a_username_of_another_organisation_is_refused(trainer_client, make_user, make_org):
    client, cohort = trainer_client
    make_user(username="elsewhere", organisation_id=make_org().id)
    page = upload(client, cohort, "username\nelsewhere\n").get_data(as_text=True)
    assert "belongs to someone in another organisation" in page and enrolled(cohort) == 0


@pytest.mark.parametrize(("content", "message"), [
    ("username\n" + "".join(f"u{n:04d}\n" for n in range(1001)), "more than 1000 rows"),
    ("username,display_name\n" + ("abc,x\n" * 200_000), "larger than 1 MB"),
    ("username\nrenée\n".encode("latin-1"), "not UTF-8"),
    ("name,email\nx,y\n", "include “username”"),
    ("", "The file is empty"),
    ("username,display_name\n\n", "has nobody below them"),  # not "all 0 rows are correct", with a Confirm button
])
def test_unreadable_files_are_refused_with_a_message(trainer_client, content, message):
    client, cohort = trainer_client
    page = upload(client, cohort, content).get_data(as_text=True)
    assert message in page and enrolled(cohort) == 0


def test_a_tampered_payload_is_refused(trainer_client, app):
    client, cohort = trainer_client
    forged = URLSafeSerializer("not-the-key", salt="roster-import").dumps({"cohort": cohort.id, "csv": GOOD})
    response = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": forged})
    assert response.status_code == 302 and enrolled(cohort) == 0
    signed = URLSafeSerializer(app.config["SECRET_KEY"], salt="roster-import").dumps({"cohort": 999, "csv": GOOD})
    client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": signed})
    assert enrolled(cohort) == 0


def test_confirm_checks_again_a_username_taken_since_the_preview(trainer_client, make_user, make_org):
    client, cohort = trainer_client
    preview = upload(client, cohort, GOOD).get_data(as_text=True)
    make_user(username="sky", organisation_id=make_org().id)
    page = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": payload_of(preview)})
    assert "another organisation" in page.get_data(as_text=True) and enrolled(cohort) == 0


def test_parsing_is_pure_and_case_insensitive(app):
    rows = parse(decode("\ufeffUserName,SEX\nRiver,Female\n,\n".encode()))
    assert len(rows) == 1 and rows[0].values == {"username": "River", "sex": "Female"}
    rows, valid = read_rows(b"username,sex\nRiver,Female\nriver,\n", organisation_id=1)
    assert not valid and rows[1].errors == [("username", "duplicate")] and rows[0].values["sex"] == "female"
    with pytest.raises(FileProblem):
        decode(b"username\n\x00\x00")


def test_another_cohorts_trainer_cannot_confirm_an_import(app, client, make_cohort):
    cohort, theirs = make_cohort(), make_cohort()
    login(client, theirs.trainers[0].username)
    signed = URLSafeSerializer(app.config["SECRET_KEY"], salt="roster-import").dumps({"cohort": cohort.id, "csv": GOOD})
    assert client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": signed}).status_code == 404
    assert enrolled(cohort) == 0


def once_of(page: str) -> str:
    """The one-time key of the preview's confirm form."""
    return re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)


def test_a_confirm_sent_again_after_a_lost_answer_gives_new_slips_for_the_new_accounts(trainer_client, app):
    client, cohort = trainer_client
    preview = upload(client, cohort, GOOD).get_data(as_text=True)
    confirm = {"payload": payload_of(preview), "once": once_of(preview)}
    first = client.post(f"/cohorts/{cohort.id}/import/confirm", data=confirm).get_data(as_text=True)
    lost = re.search(r"<code>river</code>.*?<code>([a-z0-9]{10})</code>", first, re.S)[1]
    again = client.post(f"/cohorts/{cohort.id}/import/confirm", data=confirm).get_data(as_text=True)
    assert "This import was already done. Print these slips" in again and "<code>sky</code>" in again
    new = re.search(r"<code>river</code>.*?<code>([a-z0-9]{10})</code>", again, re.S)[1]
    assert enrolled(cohort) == 2 and db.session.scalar(select(func.count(User.id))) == 3  # the trainer and two
    assert login(app.test_client(), "river", lost).status_code == 200  # the lost slip no longer opens the account
    assert login(app.test_client(), "river", new).headers["Location"] == "/account/password"


def test_staff_are_not_enrolled_as_trainees_by_file_or_by_name(trainer_client, make_user):
    client, cohort = trainer_client
    make_user("coordinator", username="boss", organisation_id=cohort.organisation_id)
    page = upload(client, cohort, "username\nboss\n").get_data(as_text=True)
    assert "This is a staff account" in page and "Confirm the import" not in page
    typed = client.post(f"/cohorts/{cohort.id}/enrol", data={"usernames": "boss"}).get_data(as_text=True)
    assert "These are staff accounts, which are not enrolled as trainees: boss" in typed and enrolled(cohort) == 0


def test_someone_of_no_organisation_joins_the_cohorts_by_import(trainer_client, make_user):
    client, cohort = trainer_client
    loner = make_user(username="loner", organisation_id=None)
    preview = upload(client, cohort, "username\nloner\n").get_data(as_text=True)
    client.post(f"/cohorts/{cohort.id}/import/confirm", data={"payload": payload_of(preview)})
    assert db.session.get(User, loner.id).organisation_id == cohort.organisation_id
