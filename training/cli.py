"""Command-line commands of the training package."""
import click
from flask import Flask
from flask.cli import AppGroup

from training.demo import DEMO_PASSWORD, load_demo

demo = AppGroup("demo", help="Demo data for trying the site.")


@demo.command("load")
def demo_load() -> None:
    """Add the demo organisations and accounts that are missing; existing data is kept."""
    added = load_demo()
    click.echo(f"Demo data ready ({added} accounts added). Password for every demo account: {DEMO_PASSWORD}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(demo)
