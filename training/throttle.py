"""Login throttling: too many failures for one account or from one address answer 429."""
from flask import current_app, request
from limits import parse

from app import limiter


def _limits() -> list[tuple[str, str]]:
    """The two limits in force, each with the key it counts against."""
    return [
        (current_app.config["LOGIN_FAILURES_PER_ACCOUNT"], "account"),
        (current_app.config["LOGIN_FAILURES_PER_ADDRESS"], "address"),
    ]


def _identifiers(kind: str, username: str) -> tuple[str, str, str]:
    """Namespace and value counted for one kind of limit."""
    return ("login-failures", kind, username if kind == "account" else request.remote_addr or "unknown")


def login_blocked(username: str) -> bool:
    """Whether this account or this address has failed too often recently."""
    strategy = limiter.limiter
    return any(
        not strategy.test(parse(rate), *_identifiers(kind, username)) for rate, kind in _limits()
    )


def record_login_failure(username: str) -> None:
    """Count a failed login against the account and the address."""
    strategy = limiter.limiter
    for rate, kind in _limits():
        strategy.hit(parse(rate), *_identifiers(kind, username))
