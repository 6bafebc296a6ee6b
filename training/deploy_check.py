"""`flask deploy-check`: list the settings that make a production deployment unsafe."""
import os
import sys
from collections.abc import Mapping

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import Engine, text

from app import DEFAULT_SECRET_KEY, db

MIN_SECRET_LENGTH = 32


def _workers(config: Mapping) -> int:
    """How many worker processes the deployment says it runs (1 when it does not say)."""
    for key in ("WEB_CONCURRENCY", "WORKERS"):
        try:
            if config.get(key):
                return int(config[key])
        except (TypeError, ValueError):
            continue
    return 1


def _database_problems(engine: Engine) -> list[str]:
    """SQLite must run in WAL mode with foreign keys enforced; asked of a real connection."""
    if engine.dialect.name != "sqlite":
        return []
    problems = []
    with engine.connect() as connection:
        if str(connection.execute(text("PRAGMA journal_mode")).scalar()).lower() != "wal":
            problems.append("SQLite is not in WAL mode: readers and the writer will block each other.")
        if connection.execute(text("PRAGMA foreign_keys")).scalar() != 1:
            problems.append("SQLite foreign keys are off: deletions can leave orphaned rows.")
    return problems


def deploy_problems(config: Mapping, engine: Engine) -> list[str]:
    """Every unsafe production setting in this configuration and database, as sentences; empty when safe."""
    problems = []
    if config.get("DEBUG"):
        problems.append("DEBUG is on: errors would show code and let visitors run commands.")
    key = str(config.get("SECRET_KEY") or "")
    if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_LENGTH:
        problems.append(f"SECRET_KEY is the default or shorter than {MIN_SECRET_LENGTH} characters.")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off: the session cookie would travel over plain HTTP.")
    if not config.get("WTF_CSRF_ENABLED", True):
        problems.append("WTF_CSRF_ENABLED is false: forms are open to cross-site request forgery.")
    workers = _workers(config)
    if not config.get("REDIS_URL") and workers > 1:
        problems.append(f"Rate limits are kept in memory but {workers} workers run: each counts on its own, "
                        f"so every limit is {workers} times looser. Set REDIS_URL.")
    base = str(config.get("PUBLIC_BASE_URL") or "")
    if not base.startswith("https://"):
        problems.append("PUBLIC_BASE_URL is missing or not https: certificate QR codes would point to it.")
    if config.get("PREFERRED_URL_SCHEME") != "https":
        problems.append("PREFERRED_URL_SCHEME is not https: generated external links would use http.")
    return problems + _database_problems(engine)


@click.command("deploy-check")
@with_appcontext
def deploy_check() -> None:
    """Print every unsafe production setting; exit with status 1 when there is any."""
    config = dict(current_app.config)
    for key in ("WEB_CONCURRENCY", "WORKERS"):
        config.setdefault(key, os.environ.get(key))
    problems = deploy_problems(config, db.engine)
    for problem in problems:
        click.echo(f"UNSAFE: {problem}")
    if problems:
        click.echo(f"{len(problems)} problem(s) found.")
        sys.exit(1)
    click.echo("No unsafe settings found.")


def init_app(app: Flask) -> None:
    """Register the command."""
    app.cli.add_command(deploy_check)
