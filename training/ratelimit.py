"""Rate limits on the few actions that need them, counted in Redis when REDIS_URL is set."""
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, request
from limits import parse, storage, strategies


def init_app(app: Flask) -> None:
    """Create the shared counter store: Redis for several workers, memory for one process."""
    uri = app.config["REDIS_URL"] or "memory://"
    app.extensions["rate_limiter"] = strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))


def client_address() -> str:
    """The caller's address as the server saw it (ProxyFix rewrites it only behind trusted proxies)."""
    return request.remote_addr or "unknown"


def allowed(rate: str, *key: str) -> bool:
    """Whether one more hit would stay within the rate for this key, without counting it."""
    return current_app.extensions["rate_limiter"].test(parse(rate), *key)


def hit(rate: str, *key: str) -> bool:
    """Count one hit; False when the rate is already used up."""
    return current_app.extensions["rate_limiter"].hit(parse(rate), *key)


def rate_limited(rate: str, scope: str) -> Callable:
    """Answer 429 once an address has called the view more often than the rate."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not hit(rate, scope, client_address()):
                abort(429)
            return view(*args, **kwargs)

        return wrapped

    return decorator
