"""Command-line commands of the training package, and the guard every command that uses the database wears."""
import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from training.database import schema_problem
from training.demo import DEMO_PASSWORD, load_demo
from training.demo_cohorts import load_demo_cohorts
from training.demo_fieldwork import load_demo_fieldwork

demo = AppGroup("demo", help="Demo data for trying the site.")


def needs_current_schema(command):
    """Refuse, with what to run, a command against a database that is not set up or not up to date."""

    @functools.wraps(command)
    def guarded(*args, **kwargs):
        if (problem := schema_problem()) is not None:
            raise click.ClickException(problem)
        return command(*args, **kwargs)

    return guarded


@demo.command("load")
@needs_current_schema
def demo_load() -> None:
    """Add the demo data that is missing (accounts, cohorts, kits, certificates); existing data is kept."""
    for loader in current_app.extensions["demo_loaders"]:
        loader()
        click.echo(f"  {loader.__name__}: done")
    click.echo(f"Demo data ready. Password for every demo account: {DEMO_PASSWORD}")


def init_app(app: Flask) -> None:
    """Register the commands; packages above training add their own demo loaders to the list."""
    app.extensions["demo_loaders"] = [load_demo, load_demo_cohorts, load_demo_fieldwork]
    app.cli.add_command(demo)
