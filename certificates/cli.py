"""Command-line printing of a cohort's certificates or wallet cards, with a progress bar; demo certificates."""
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app import db
from certificates.issuing import cohort_certificates, record_batch
from certificates.pdf import write_certificates
from certificates.rendering import certificate_views, wallet_views
from certificates.wallet import write_wallet_sheets
from training.cli import needs_current_schema
from training.cohorts import Cohort
from training.models import utcnow

certificates_group = AppGroup("certificates", help="Certificates: batch printing and demo data.")


@certificates_group.command("print")
@click.option("--cohort", "cohort_id", type=int, required=True, help="The cohort's number.")
@click.option("--format", "kind", type=click.Choice(["certificate", "wallet"]), default="certificate",
              show_default=True, help="Full certificates (one page each) or wallet-card sheets.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="The PDF file to write.")
@needs_current_schema
def print_cohort(cohort_id: int, kind: str, out: Path) -> None:
    """Write a cohort's current certificates, ordered by name, to one PDF."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"there is no cohort number {cohort_id}")
    certificates = cohort_certificates(cohort.id, utcnow().date())
    if not certificates:
        raise click.ClickException(f"nobody in cohort {cohort_id} ({cohort.name}) holds a current certificate")
    views = wallet_views(certificates) if kind == "wallet" else certificate_views(certificates)
    write = write_wallet_sheets if kind == "wallet" else write_certificates
    try:
        with click.progressbar(views, length=len(certificates), label=f"Drawing {len(certificates)}") as bar, \
                out.open("wb") as handle:
            pages = write(bar, handle)
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
    record_batch(cohort.id, cohort.organisation_id, kind, len(certificates), None)
    db.session.commit()
    click.echo(f"Wrote {pages} pages for {len(certificates)} people to {out}")


@certificates_group.command("demo")
@needs_current_schema
def demo() -> None:
    """Create the demo cohort whose trainees hold certificates (safe to run again)."""
    from certificates.demo import load_demo_certificates

    click.echo(f"Demo certificates added: {load_demo_certificates()}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(certificates_group)
