"""`flask backup` / `flask restore`: a backup taken under write load restores to a sound, bootable database."""
import sqlite3
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from app import create_app, db
from certificates.codes import new_code
from certificates.models import Certificate
from tests.conftest import TEST_DATABASE_URL
from training.backup import libpq_url
from training.models import AuditEvent

sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the SQLite online backup")


def sqlite_file(app) -> str:
    """The test database's file."""
    return db.engine.url.database


def write_rows(path: str, count: int, org_id: int, started: threading.Event) -> None:
    """Insert audit rows one transaction at a time, as a busy site would."""
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA foreign_keys=ON")
    for n in range(count):
        with connection:
            connection.execute("INSERT INTO audit_event (at, action, organisation_id) VALUES (datetime('now'), ?, ?)",
                               (f"load-{n}", org_id))
        if n == 10:
            started.set()
        time.sleep(0.003)
    connection.close()


def restored_app(path):
    """An app booted on a restored database file."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


def check_file(path) -> tuple[str, list]:
    """integrity_check's answer and foreign_key_check's rows."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0], connection.execute(
            "PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()


@sqlite_only
def test_a_backup_under_write_load_restores_to_a_sound_bootable_database(app, runner, make_org, tmp_path):
    org = make_org()
    code = new_code()
    db.session.add(Certificate(code=code, programme_slug="community-response", name_printed="A. B.", language="en",
                               organisation_id=org.id, expires_on=date(2099, 1, 1)))
    db.session.commit()
    started = threading.Event()
    writer = threading.Thread(target=write_rows, args=(sqlite_file(app), 200, org.id, started))
    writer.start()
    started.wait(10)
    at_start = db.session.scalar(select(func.count(AuditEvent.id)))
    assert writer.is_alive()  # the backup starts while rows are still being written
    result = runner.invoke(args=["backup", "--out", str(tmp_path / "copy.sqlite")])
    writer.join()
    assert result.exit_code == 0 and "Backup complete" in result.output
    target = tmp_path / "restored.sqlite"
    restored = restored_app(target)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", "--from", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    assert check_file(target) == ("ok", [])
    assert sqlite3.connect(target).execute("SELECT COUNT(*) FROM audit_event").fetchone()[0] >= at_start
    web = restored.test_client()
    assert web.get("/healthz").status_code == 200
    if "verify.show" in restored.view_functions:
        assert web.get(f"/verify/{code}").status_code == 200
    with restored.app_context():
        db.engine.dispose()


@sqlite_only
def test_restore_refuses_a_database_that_holds_data_unless_forced(runner, make_org, tmp_path):
    make_org()
    runner.invoke(args=["backup", "--out", str(tmp_path / "copy.sqlite")])
    refused = runner.invoke(args=["restore", "--from", str(tmp_path / "copy.sqlite")])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert runner.invoke(args=["restore", "--from", str(tmp_path / "copy.sqlite"), "--force"]).exit_code == 0


@sqlite_only
def test_restore_refuses_a_damaged_backup(tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    app = restored_app(tmp_path / "empty.sqlite")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", "--from", str(broken)])
        db.engine.dispose()
    assert result.exit_code != 0 and "damaged" in result.output


def test_the_postgresql_url_is_converted_for_pg_dump():
    assert libpq_url("postgresql+psycopg://u:p@db.example:5432/academy") == "postgresql://u:p@db.example:5432/academy"


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_postgresql_backup_and_forced_restore_round_trip(runner, make_org, tmp_path):
    org = make_org(name="Kept")
    assert runner.invoke(args=["backup", "--out", str(tmp_path / "dump")]).exit_code == 0
    db.session.delete(org)
    db.session.commit()
    result = runner.invoke(args=["restore", "--from", str(tmp_path / "dump"), "--force"])
    db.session.remove()
    assert result.exit_code == 0 and db.session.scalar(select(func.count()).select_from(type(org))) == 1
