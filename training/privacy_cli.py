"""`flask privacy purge`: apply each organisation's retention period."""
import click
from flask import Flask
from flask.cli import AppGroup

from app import db
from training.cli import needs_current_schema
from training.models import utcnow
from training.once import forget_old
from training.privacy import purge_inactive

privacy = AppGroup("privacy", help="Data protection tasks.")


@privacy.command("purge")
@needs_current_schema
def purge() -> None:
    """Delete trainee accounts idle for longer than their organisation keeps them, and old form keys."""
    forget_old(utcnow())
    db.session.commit()
    removed = purge_inactive(utcnow())
    for organisation, count in removed.items():
        click.echo(f"{organisation}: {count} inactive trainee account(s) deleted.")
    click.echo(f"Done: {sum(removed.values())} account(s) deleted.")


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(privacy)
