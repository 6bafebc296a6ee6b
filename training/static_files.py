"""Static files under addresses that carry their content hash, so browsers keep them for a year."""
import hashlib
from functools import lru_cache

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

# A year, the most browsers honour: a static file's address carries its content hash, so new content is a new address.
STATIC_CACHE = "public, max-age=31536000, immutable"


def content_hash(path: str) -> str | None:
    """A short hash of a file's bytes, or None when there is no such file."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()[:12]
    except OSError:
        return None


content_hash_once = lru_cache(maxsize=256)(content_hash)  # static files only change with a new deployment


def static_version(filename: str) -> str | None:
    """The content hash of a static file: once per process, or every time in debug mode, where files are edited."""
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        return None
    return (content_hash if current_app.debug else content_hash_once)(path)


def add_static_version(endpoint: str, values: dict) -> None:
    """Give a static file's address its content hash, `?v=...`, so that browsers may keep the file for a year."""
    if endpoint == "static" and "v" not in values and (version := static_version(values.get("filename", ""))):
        values["v"] = version


def cache_static_file(response: Response) -> Response:
    """A static file asked for by its current hash never changes at that address: keep it for a year."""
    # Another `v` (an old page after a deployment) keeps Flask's no-cache: the content is not what it names.
    if (
        request.endpoint == "static"
        and response.status_code in (200, 304)
        and request.args.get("v") == static_version(request.view_args["filename"])
    ):
        response.headers["Cache-Control"] = STATIC_CACHE
    return response


def init_app(app: Flask) -> None:
    """Version every url_for('static', ...) and let the versioned files be cached."""
    app.url_defaults(add_static_version)
    app.after_request(cache_static_file)
