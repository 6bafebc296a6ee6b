"""The third peer: the least a logged-in HTML page can do with the project's fixed stack.

Flask-Login finds the user through a Flask-SQLAlchemy model (one prepared, indexed query), and Flask-Babel
translates the three strings of a seven-line Jinja page. Nothing else: no hooks, no CSRF, no layout. It is tuned
as the app is (the query built once, gettext called directly), so the gap to it is the app's own work.
"""
import os

from flask import Flask, render_template
from flask_babel import Babel, get_translations
from flask_login import LoginManager, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The models' base."""


db = SQLAlchemy(model_class=Base)


class User(db.Model):
    """The columns of the app's users table that logging in needs."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    session_token: Mapped[str] = mapped_column(String(64))
    is_active = is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie carries."""
        return self.session_token


app = Flask(__name__)
app.secret_key = "bench-only"  # noqa: S105 - the same in every worker, so either can read the cookie
app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.environ.get('FLOOR_DATABASE', '')}"
db.init_app(app)
Babel(app)
logins = LoginManager(app)
BY_TOKEN = select(User).where(User.session_token == bindparam("token"))


def gettext(text: str, **values) -> str:
    """The page's strings from the request's catalogue."""
    translated = get_translations().ugettext(text)
    return translated % values if values else translated


app.jinja_env.globals["_"] = gettext


@logins.user_loader
def load_user(token: str) -> User | None:
    """The user whose session the cookie names."""
    return db.session.scalar(BY_TOKEN, {"token": token})


@app.get("/")
def up() -> str:
    """Say the server is up."""
    return "up"


@app.get("/login/<username>")
def login(username: str) -> str:
    """Start a session for a demo user (benchmark only: no password)."""
    login_user(db.session.scalar(select(User).where(User.username == username)))
    return "ok"


@app.get("/me")
@login_required
def me() -> str:
    """Greet the logged-in user on a small translated page."""
    return render_template("stack_floor.html")
