"""`flask deploy-check`: each unsafe production setting is caught; a production-like setup passes."""
import pytest
from sqlalchemy import create_engine, event

from training.deploy_check import deploy_problems

SAFE = {
    "DEBUG": False, "SECRET_KEY": "k" * 48, "SESSION_COOKIE_SECURE": True, "WTF_CSRF_ENABLED": True,
    "REDIS_URL": "redis://127.0.0.1:6379/0", "WEB_CONCURRENCY": "4", "PUBLIC_BASE_URL": "https://academy.example",
    "PREFERRED_URL_SCHEME": "https",
}
POSTGRES = create_engine("postgresql+psycopg://app@127.0.0.1/academy")  # never connected: not SQLite


def sqlite_engine(path, *pragmas: str):
    """A SQLite engine whose connections run the given pragmas."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def configure(connection, _record):
        for pragma in pragmas:
            connection.execute(pragma)

    return engine


def test_a_production_like_configuration_on_postgresql_passes():
    assert deploy_problems(SAFE, POSTGRES) == []


def test_sqlite_with_wal_and_foreign_keys_passes(tmp_path):
    engine = sqlite_engine(tmp_path / "db.sqlite", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON")
    assert deploy_problems(SAFE, engine) == []
    engine.dispose()


@pytest.mark.parametrize(("change", "words"), [
    ({"DEBUG": True}, "DEBUG is on"),
    ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY"),
    ({"SECRET_KEY": "x" * 31}, "shorter than 32"),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
    ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED"),
    ({"REDIS_URL": None}, "4 workers"),
    ({"REDIS_URL": None, "WEB_CONCURRENCY": None, "WORKERS": 3}, "3 workers"),
    ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
    ({"PUBLIC_BASE_URL": "http://academy.example"}, "PUBLIC_BASE_URL"),
    ({"PREFERRED_URL_SCHEME": "http"}, "PREFERRED_URL_SCHEME"),
], ids=["debug", "default-key", "short-key", "cookie", "csrf", "memory-limits", "workers", "no-url", "http-url",
        "scheme"])
def test_each_unsafe_setting_is_reported(change, words):
    [problem] = deploy_problems({**SAFE, **change}, POSTGRES)
    assert words in problem


def test_memory_rate_limits_are_fine_with_a_single_worker():
    assert deploy_problems({**SAFE, "REDIS_URL": None, "WEB_CONCURRENCY": "1"}, POSTGRES) == []


@pytest.mark.parametrize(("pragmas", "words"), [
    (("PRAGMA foreign_keys=ON",), "WAL"),
    (("PRAGMA journal_mode=WAL",), "foreign keys"),
], ids=["no-wal", "no-foreign-keys"])
def test_sqlite_without_wal_or_foreign_keys_is_reported(tmp_path, pragmas, words):
    engine = sqlite_engine(tmp_path / "db.sqlite", *pragmas)
    [problem] = deploy_problems(SAFE, engine)
    engine.dispose()
    assert words in problem


def test_the_command_lists_problems_and_fails(runner):
    result = runner.invoke(args=["deploy-check"])
    assert result.exit_code == 1
    assert "UNSAFE: SESSION_COOKIE_SECURE is off" in result.output and "problem(s) found" in result.output


def test_the_command_passes_on_a_safe_configuration(app, runner):
    app.config.update({k: v for k, v in SAFE.items() if k != "WEB_CONCURRENCY"})
    result = runner.invoke(args=["deploy-check"])
    assert (result.exit_code, result.output.strip()) == (0, "No unsafe settings found.")
