"""The factory, configuration, health check and command line."""
import subprocess
import sys

import pytest
from sqlalchemy import text

from app import DEFAULT_SECRET_KEY, create_app, db


def test_refuses_to_start_with_the_default_secret_key_outside_demo_and_tests(monkeypatch):
    monkeypatch.delenv("NALOXONE_DEMO", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app()


def test_starts_in_demo_mode_with_the_default_key(monkeypatch, tmp_path):
    monkeypatch.setenv("NALOXONE_DEMO", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/demo.db")
    app = create_app()
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and app.config["DEMO"]


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "x" * 30)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://naloxone.example")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["PUBLIC_BASE_URL"] == "https://naloxone.example"


def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    from app import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas do not apply to PostgreSQL")
    with db.engine.connect() as connection:
        pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}


def count_rows() -> dict[str, int]:
    """Rows per table, to see what a command changed."""
    from sqlalchemy import func, select

    from app import db

    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_demo_data_loads_twice_without_change(runner):
    first = runner.invoke(args=["demo", "load"])
    after_first = count_rows()
    second = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert after_first["users"] >= 6 and after_first["cohort"] >= 2 and after_first["kit_handout"] > 0
    assert count_rows() == after_first


@pytest.mark.parametrize("command", [["demo", "load"], ["privacy", "purge"], ["certificates", "demo"]])
def test_data_commands_refuse_a_database_that_is_not_set_up(tmp_path, command):
    """Against a new database, a command says to run the migrations instead of printing a traceback."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite'}"})
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1
    assert "The database is not set up yet. Run `flask db upgrade` first." in result.output


def test_data_commands_refuse_a_database_behind_the_code(runner):
    """A database left at an older migration is refused too: the code expects the newest tables."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1 and "not up to date" in result.output


def test_cli_help_without_configuration_is_clean(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "--help"], capture_output=True, text=True, env=env, check=False
    )
    assert "Traceback" not in result.stderr and "SECRET_KEY" in result.stderr + result.stdout
