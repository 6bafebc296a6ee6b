"""Large batches drawn in the background, so the page can say how far the drawing is.

A job is two files in PRINT_JOBS_DIR (default instance/print-jobs): <token>.json with who asked and how many
pages are drawn, and <token>.pdf once finished. Files, not memory, so every worker process can answer.
"""
import json
import os
import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from app import db
from certificates.issuing import by_printed_name
from certificates.models import Certificate
from certificates.pdf import write_certificates
from certificates.rendering import certificate_views, wallet_views
from certificates.wallet import write_wallet_sheets

KEEP_SECONDS = 24 * 3600
REPORT_EVERY = 20


def jobs_dir() -> Path:
    """The folder holding print jobs, created on first use."""
    folder = Path(current_app.config.get("PRINT_JOBS_DIR") or Path(current_app.instance_path) / "print-jobs")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_status(folder: Path, token: str, status: dict) -> None:
    """Replace the job's status file in one step, so a reader never sees half of it."""
    part = folder / f"{token}.json.part"
    part.write_text(json.dumps(status))
    os.replace(part, folder / f"{token}.json")


def read_status(token: str, user_id: int) -> dict | None:
    """The job's status if this user started it; None otherwise (or for a malformed token)."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    try:
        status = json.loads((jobs_dir() / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    return status if status.get("user_id") == user_id else None


def pdf_path(token: str) -> Path:
    """Where a finished job's PDF is."""
    return jobs_dir() / f"{token}.pdf"


def _counted(views: Iterable, folder: Path, token: str, status: dict) -> Iterator:
    """Pass the views on to the writer, noting every few how many are drawn."""
    for done, view in enumerate(views, start=1):
        yield view
        if done % REPORT_EVERY == 0:
            _write_status(folder, token, {**status, "done": done})


def _run(app: Flask, token: str, certificate_ids: list[int], kind: str, status: dict) -> None:
    """Draw the batch in its own app context and database session, then publish the PDF."""
    with app.app_context():
        folder = jobs_dir()
        try:
            rows = db.session.scalars(select(Certificate).where(Certificate.id.in_(certificate_ids)))
            certificates = by_printed_name(rows)
            views = wallet_views(certificates) if kind == "wallet" else certificate_views(certificates)
            write = write_wallet_sheets if kind == "wallet" else write_certificates
            with (folder / f"{token}.pdf.part").open("wb") as out:
                write(_counted(views, folder, token, status), out)
            os.replace(folder / f"{token}.pdf.part", folder / f"{token}.pdf")
            _write_status(folder, token, {**status, "done": status["total"], "finished": True})
        except Exception:  # noqa: BLE001 - the page must say the job failed rather than wait forever
            current_app.logger.exception("print job %s failed", token)
            _write_status(folder, token, {**status, "failed": True})
        finally:
            db.session.remove()


def _sweep(folder: Path) -> None:
    """Delete jobs older than a day: they hold names and must not pile up."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def start(certificates: list[Certificate], kind: str, user_id: int, name: str) -> tuple[str, threading.Thread]:
    """Start drawing the batch in the background; return its token and thread."""
    folder = jobs_dir()
    _sweep(folder)
    token = secrets.token_urlsafe(16)
    status = {"user_id": user_id, "total": len(certificates), "done": 0, "kind": kind, "name": name,
              "finished": False, "failed": False}
    _write_status(folder, token, status)
    thread = threading.Thread(target=_run, args=(current_app._get_current_object(), token,
                                                 [c.id for c in certificates], kind, status), daemon=True)
    thread.start()
    return token, thread
