"""Login throttling: too many failures for one account or from one address answer 429."""
from flask import current_app

from training.ratelimit import allowed, client_address, hit


def _keys(username: str) -> list[tuple[str, str, str]]:
    """Each limit in force with the key it counts against."""
    config = current_app.config
    return [
        (config["LOGIN_FAILURES_PER_ACCOUNT"], "login-failures-account", username),
        (config["LOGIN_FAILURES_PER_ADDRESS"], "login-failures-address", client_address()),
    ]


def login_blocked(username: str) -> bool:
    """Whether this account or this address has failed too often recently."""
    return not all(allowed(rate, *key) for rate, *key in _keys(username))


def record_login_failure(username: str) -> None:
    """Count a failed login against the account and the address."""
    for rate, *key in _keys(username):
        hit(rate, *key)
