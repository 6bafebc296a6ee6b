"""Naloxone Academy: extensions, configuration and the application factory."""
import os
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

LANGUAGES = ("en", "fr", "ru", "uk", "es", "ar")
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside demo and test mode


class Base(DeclarativeBase):
    """Declarative base shared by every model; named constraints keep SQLite batch migrations working."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


def select_locale() -> str:
    """The user's saved language, then the switcher's choice, then Accept-Language, then English."""
    if current_user and getattr(current_user, "language", None) in LANGUAGES:
        return current_user.language
    if session.get("language") in LANGUAGES:
        return session["language"]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then the environment (or the test's mapping)."""
    instance = Path(app.instance_path)
    app.config.from_mapping(
        SECRET_KEY=DEFAULT_SECRET_KEY,
        DEMO=False,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'naloxone.sqlite'}",
        PUBLIC_BASE_URL="http://127.0.0.1:5000",
        REDIS_URL=None,
        TRUSTED_PROXIES=0,
        LANGUAGES=LANGUAGES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # A form's token lasts as long as its session (logging out or a new password ends it), not one hour: a
        # trainer's attendance page stays open through a class, and a refused form would lose what was typed.
        WTF_CSRF_TIME_LIMIT=None,
        # Seconds. Idle: as Moodle's default, so a training day spent on one page is not "idle". Absolute: however
        # much a session is used, the password is asked again after a week (training/sessions.py).
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        SESSION_ABSOLUTE_LIFETIME=7 * 24 * 3600,
        LOGIN_FAILURES_PER_ACCOUNT="10 per 15 minutes",
        LOGIN_FAILURES_PER_ADDRESS="30 per 15 minutes",
    )
    app.config.from_pyfile("config.py", silent=True)
    if test_config is not None:
        app.config.update(test_config)
    else:
        app.config.from_prefixed_env("NALOXONE")
        for name in ("SECRET_KEY", "PUBLIC_BASE_URL", "REDIS_URL"):
            if os.environ.get(name):
                app.config[name] = os.environ[name]
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.testing or app.config["DEMO"]):
        raise SystemExit(
            "Refusing to start: SECRET_KEY is the built-in development key. Set SECRET_KEY in the "
            "environment or in instance/config.py to a long random value, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
        )


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands and error pages."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)

    from certificates import cli as certificates_cli
    from certificates import reminders, signals, verify
    from certificates import views as certificates
    from quizzes import cli as quizzes_cli
    from quizzes import difficulty_views, paper_views
    from quizzes import routes as quizzes
    from training import (
        account,
        admin,
        audit_views,
        auth,
        backup,
        cli,
        cohort_views,
        database,
        deploy_check,
        errors,
        followup_views,
        hooks,
        kit_reminder,
        kit_views,
        layout,
        learn,
        logs,
        meeting_views,
        notices,
        org_views,
        privacy_cli,
        privacy_views,
        ratelimit,
        reach_views,
        report_pages,
        report_views,
        roster_views,
        sessions,
        site,
        static_files,
        unsent,
    )

    # Each part has a blueprint `bp`, an `init_app(app)`, or both. Lowest layer first: quizzes and certificates
    # build on what training set up (certificates add their demo data to training's list, for instance).
    parts = (
        database, ratelimit, sessions, unsent, static_files, hooks, layout, logs, errors, cli, site, auth, account,
        admin, learn, notices, cohort_views, meeting_views, roster_views, kit_views, kit_reminder, report_views,
        followup_views, report_pages, reach_views, privacy_views, org_views, audit_views, deploy_check, backup,
        privacy_cli, quizzes, paper_views, difficulty_views, quizzes_cli, certificates, verify, certificates_cli,
        signals, reminders,
    )
    for part in parts:
        if hasattr(part, "bp"):
            app.register_blueprint(part.bp)
        if hasattr(part, "init_app"):
            part.init_app(app)
    return app
