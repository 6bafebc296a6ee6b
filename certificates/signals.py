"""Issue certificates as soon as learning makes someone eligible, whoever recorded the progress."""
from flask import Flask

from app import db
from certificates.demo import load_demo_certificates
from certificates.issuing import issue_if_eligible
from training.events import learning_progressed


def on_learning_progressed(_sender, user_id: int, programme_slug: str | None = None, **_extra) -> None:
    """Issue whatever the person has now earned; commit only when a certificate was made."""
    # Committing here keeps the certificate whether the sender commits before or after sending.
    if issue_if_eligible(user_id, programme_slug):
        db.session.commit()


def init_app(app: Flask) -> None:
    """Listen to learning progress (blinker keeps one connection however many apps are created); add demo data."""
    learning_progressed.connect(on_learning_progressed)
    app.extensions["demo_loaders"].append(load_demo_certificates)
