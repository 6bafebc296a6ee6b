"""Database connection settings and the health check."""
import sqlite3

from flask import Flask
from sqlalchemy import event, text

from app import db

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",  # readers never block the writer
    "PRAGMA synchronous=FULL",  # an acknowledged commit survives a crash or power cut
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",  # wait for a busy writer instead of failing with "database is locked"
)


def _configure_sqlite(dbapi_connection, _record) -> None:
    """Apply the pragmas above to every new SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return False
    return True


def init_app(app: Flask) -> None:
    """Configure every connection of this app's engine as it opens."""
    with app.app_context():
        event.listen(db.engine, "connect", _configure_sqlite)
