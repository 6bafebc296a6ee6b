"""`flask backup` and `flask restore`: consistent copies of the database taken while the site runs."""
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with an argument list, never a shell
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import Engine, func, inspect, select, table
from sqlalchemy.engine import make_url

from app import db


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump understands it (postgresql+psycopg:// becomes postgresql://)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_pg(tool: str, engine: Engine, *args: str) -> None:
    """Run pg_dump or pg_restore against the configured database; the password goes in the environment, not argv."""
    url = make_url(libpq_url(engine.url.render_as_string(hide_password=False)))
    env = dict(os.environ, PGPASSWORD=url.password) if url.password else None
    dsn = url.set(password=None).render_as_string(hide_password=False)
    subprocess.run([shutil.which(tool) or tool, *args, "--dbname", dsn], check=True, env=env)  # noqa: S603


def sqlite_path(engine: Engine) -> Path:
    """The file of a SQLite database."""
    return Path(engine.url.database or "")


def backup_sqlite(source: Path, out: Path) -> None:
    """Copy a live SQLite database in one step; in WAL mode writers carry on meanwhile."""
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(partial)
    try:
        # One step (pages=-1) reads a single snapshot; stepping would restart whenever another connection writes.
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()
    os.replace(partial, out)  # a reader of `out` never sees half a backup


def check_sqlite(path: Path) -> str | None:
    """None when the file is a sound SQLite database, else what is wrong with it."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
    if result != "ok":
        return result
    return f"{len(orphans)} rows break foreign keys" if orphans else None


def is_empty(engine: Engine) -> bool:
    """Whether no table of the database holds a row."""
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            if connection.execute(select(func.count()).select_from(table(name))).scalar():
                return False
    return True


def restore_sqlite(source: Path, target: Path) -> None:
    """Write the backup over the configured SQLite database through SQLite itself (keeps WAL consistent)."""
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


@click.command("backup")
@with_appcontext
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Write a consistent backup of the database to FILE while the site keeps running."""
    engine = db.engine
    click.echo(f"Backing up the {engine.dialect.name} database to {out} ...")
    if engine.dialect.name == "sqlite":
        backup_sqlite(sqlite_path(engine), out)
    elif engine.dialect.name == "postgresql":
        run_pg("pg_dump", engine, "-Fc", "--file", str(out))
    else:
        raise click.ClickException(f"Backups of {engine.dialect.name} are not supported.")
    click.echo(f"Backup complete: {out.stat().st_size} bytes.")


@click.command("restore")
@with_appcontext
@click.option("--from", "source", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
def restore_command(source: Path, force: bool) -> None:
    """Load a backup made by `flask backup` into the configured database."""
    engine = db.engine
    if not force and not is_empty(engine):
        raise click.ClickException("The database already holds data; add --force to overwrite it.")
    click.echo(f"Restoring {source} into the {engine.dialect.name} database ...")
    engine.dispose()  # nothing of ours keeps the old file or connections open during the copy
    if engine.dialect.name == "sqlite":
        problem = check_sqlite(source)
        if problem:
            raise click.ClickException(f"The backup is damaged: {problem}")
        restore_sqlite(source, sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        cleaning = ("--clean", "--if-exists") if force else ()
        run_pg("pg_restore", engine, "--no-owner", "--exit-on-error", *cleaning, str(source))
    else:
        raise click.ClickException(f"Restoring into {engine.dialect.name} is not supported.")
    click.echo("Restore complete.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
