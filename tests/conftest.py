"""Shared fixtures: the app on SQLite (or PostgreSQL when TEST_DATABASE_URL is set), clients and factories."""
import itertools
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.security import generate_password_hash

from app import create_app, db
from training.models import Organisation, User

PASSWORD = "correct horse battery"  # noqa: S105
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashing once keeps the suite fast
_counter = itertools.count(1)
MIGRATIONS = Path(__file__).parent.parent / "migrations"


def reset_database() -> None:
    """Start from empty tables at the newest migration; on PostgreSQL also drop what a previous run left behind."""
    if TEST_DATABASE_URL:
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    db.create_all()  # test_migrations proves the models and the migrations agree, so this is the newest schema
    with db.engine.begin() as connection:
        MigrationContext.configure(connection).stamp(ScriptDirectory(str(MIGRATIONS)), "heads")


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context, as a real server gives it.

    Without this, requests would share the test's app context and so its `g` and its database
    session, and a user loaded by one request would leak into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()  # end the test's own read transaction, so it sees what the request wrote
        return response


def make_app(path, reset: bool = True, **config) -> Flask:
    """A test app on its own database: the test settings, then the given ones, a fresh context per request."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{path}",
                      "PUBLIC_BASE_URL": "https://academy.example", **config})
    app.test_client_class = FreshContextClient
    if reset:
        with app.app_context():
            reset_database()
    return app


@contextmanager
def running(app: Flask, drop: bool = False):
    """The app's context for a test or a module; afterwards its connections are closed (and tables dropped)."""
    with app.app_context():
        yield app
        db.session.remove()
        if drop:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    """A fresh application and database for one test."""
    with running(make_app(tmp_path / "test.sqlite"), drop=True) as app:
        yield app


@pytest.fixture
def csrf_app(tmp_path):
    """The app as production runs it: CSRF on."""
    with running(make_app(tmp_path / "csrf.sqlite", WTF_CSRF_ENABLED=True), drop=True) as app:
        yield app


@pytest.fixture
def client(app):
    """A browser without cookies."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The `flask` command line, bound to the test app."""
    return app.test_cli_runner()


@pytest.fixture
def make_org(app):
    """Factory for organisations."""

    def make(**fields) -> Organisation:
        org = Organisation(name=fields.pop("name", f"Org {next(_counter)}"), **fields)
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(app):
    """Factory for users; every one has the password PASSWORD."""

    def make(role: str = "trainee", username: str | None = None, **fields) -> User:
        user = User(
            username=username or f"{role}{next(_counter)}", role=role, password_hash=_PASSWORD_HASH, **fields
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def clock(monkeypatch):
    """Move time forward: signed cookies and form tokens, their age checks and session lifetimes read time.time()."""
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def count_queries(client, path: str, **kwargs) -> int:
    """How many SQL statements one page runs (the page must answer without an error)."""
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path, **kwargs).status_code < 400, path
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def login(client, username: str, password: str = PASSWORD, **kwargs):
    """Log a test client in through the real form."""
    return client.post("/auth/login", data={"username": username, "password": password}, **kwargs)


@pytest.fixture
def as_user(client, make_user):
    """Create a user with a role and log the client in as them."""

    def make(role: str = "trainee", **fields) -> User:
        user = make_user(role, **fields)
        assert login(client, user.username).status_code == 302
        return user

    return make


@pytest.fixture
def make_cohort(make_org, make_user):
    """Factory for cohorts: an organisation, a trainer and some enrolled trainees unless given."""
    from training.cohorts import Cohort, CohortTrainer, Membership

    def make(org=None, trainer=None, members=(), programme="community-response", **fields) -> Cohort:
        org = org or make_org()
        trainer = trainer or make_user("trainer", organisation_id=org.id)
        cohort = Cohort(organisation_id=org.id, name=fields.pop("name", f"Cohort {next(_counter)}"),
                        programme_slug=programme, **fields)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
        db.session.add_all(Membership(cohort_id=cohort.id, user_id=m.id) for m in members)
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def live_server(app):
    """The test app served from a thread on a free port of 127.0.0.1; its base URL."""
    from tests.livesite import threaded_server

    with threaded_server(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, once per test module."""
    from playwright.sync_api import sync_playwright

    from tests.livesite import CHROMIUM, CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
