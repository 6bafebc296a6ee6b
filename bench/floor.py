"""The second peer: the least any logged-in page can do here.

It reads the signed session cookie, finds the user by session token with one indexed sqlite3 query (no ORM,
no templates, no extensions) and answers with their name. No logged-in page can be faster than this.
"""
import os
import sqlite3
from functools import cache

from flask import Flask, session

app = Flask(__name__)
app.secret_key = "bench-only"  # the same in every worker, so either can read the cookie
DATABASE = os.environ.get("FLOOR_DATABASE", "")


@cache
def connection() -> sqlite3.Connection:
    """The worker's one connection, opened on first use (gunicorn's sync workers serve one request at a time)."""
    return sqlite3.connect(DATABASE)


@app.get("/")
def up() -> str:
    """Say the server is up."""
    return "up"


@app.get("/login/<username>")
def login(username: str) -> str:
    """Start a session for a demo user (benchmark only: no password)."""
    row = connection().execute("SELECT session_token FROM users WHERE username = ?", (username,)).fetchone()
    session["token"] = row[0]
    return "ok"


@app.get("/me")
def me() -> str:
    """Greet the logged-in user."""
    row = connection().execute("SELECT username FROM users WHERE session_token = ?", (session["token"],)).fetchone()
    return f"Hello, {row[0]}"
