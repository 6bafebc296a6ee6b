"""Addresses a visitor may be sent back to: only ever pages of this site."""
from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None) -> str | None:
    """Keep a `next` destination only when it is a path on this site."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def referring_page() -> str | None:
    """The page of this site that sent the request, when the browser says which (not yet checked as safe)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_page() -> str | None:
    """The page of this site a form was sent from, or None for a form from anywhere else."""
    return safe_next(referring_page())
