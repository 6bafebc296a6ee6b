"""Database connection settings, the health check and whether the schema is up to date."""
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, text

from app import db

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers never block the writer
    "PRAGMA synchronous=FULL",  # an acknowledged commit survives a crash or power cut
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",  # wait for a busy writer instead of failing with "database is locked"
)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(dbapi_connection, _record) -> None:
    """Apply the pragmas to every new SQLite connection and let SQLAlchemy, not the driver, begin transactions."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()
    dbapi_connection.isolation_level = None  # the driver would otherwise BEGIN DEFERRED behind our back


def _begin_sqlite(connection) -> None:
    """Start SQLite transactions that may write with BEGIN IMMEDIATE.

    A deferred transaction that reads, then writes after another connection committed, fails at once with
    "database is locked" (the busy timeout cannot help it). Taking the write lock at BEGIN makes such
    transactions wait their turn instead. No GET changes anything here, so reads keep plain BEGIN and
    never queue behind writers; work outside requests (commands, tests) runs alone and keeps it too. The few GETs
    that record something say so first (begin_writing).
    """
    writing = has_request_context() and (request.method not in READ_ONLY_METHODS or g.get("writing", False))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def begin_writing() -> None:
    """Let a GET write (a download's audit event): end what it read, and take the write lock when it next begins.

    A GET's SQLite transaction is a read that began deferred. Once another connection has committed, SQLite
    refuses to turn it into a write at once, "database is locked", without waiting; two coordinators downloading
    at the same moment met exactly that. Elsewhere this only ends a read-only transaction early.
    """
    if has_request_context() and request.method in READ_ONLY_METHODS and not g.get("writing", False):
        db.session.commit()
        g.writing = True


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return False
    return True


def schema_problem() -> str | None:
    """What is wrong with the database's schema (never set up, or migrations not applied), or None."""
    heads = set(ScriptDirectory(str(Path(current_app.root_path) / "migrations")).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if not current:
        return "The database is not set up yet. Run `flask db upgrade` first."
    if current != heads:
        return "The database is not up to date with this version. Run `flask db upgrade` first."
    return None


def init_app(app: Flask) -> None:
    """Configure every connection of this app's engine as it opens."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _configure_sqlite)
            event.listen(db.engine, "begin", _begin_sqlite)
