"""Access rules as small decorators: who may open a view."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from flask_login import login_required as flask_login_required
from sqlalchemy import Select, select

from app import db
from training.cohorts import Cohort, CohortTrainer
from training.models import User

# Every view declares who may open it; a test walks the URL map and fails on any view that does not.
ACCESS = "access_rule"


def declare(rule: str) -> Callable:
    """Record a view's access rule on it (the decorators below call this)."""

    def decorator(view: Callable) -> Callable:
        setattr(view, ACCESS, rule)
        return view

    return decorator


def public(view: Callable) -> Callable:
    """Anyone, logged in or not, may open this view."""
    return declare("public")(view)


def login_required(view: Callable) -> Callable:
    """Anyone logged in; visitors go to the login page. Objects are still checked by their load-or-404 helper."""
    return declare("login")(flask_login_required(view))


def role_required(*roles: str) -> Callable:
    """Let in logged-in users holding one of the roles (admins always); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @flask_login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return declare("roles:" + ",".join(roles))(wrapped)

    return decorator


admin_required = role_required("admin")


def visible_cohorts(user: User) -> Select:
    """A select of the cohorts a user may see: all (admin), their organisation's (coordinator), or theirs."""
    query = select(Cohort)
    if user.role == "admin":
        return query
    if user.role == "coordinator":
        return query.where(Cohort.organisation_id == user.organisation_id)
    if user.role == "trainer":
        mine = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
        return query.where(Cohort.organisation_id == user.organisation_id, Cohort.id.in_(mine))
    return query.where(False)


def get_cohort_or_404(cohort_id: int, for_user: User) -> Cohort:
    """The cohort if this user may see it; 404 otherwise, so nobody learns that it exists."""
    cohort = db.session.scalar(visible_cohorts(for_user).where(Cohort.id == cohort_id))
    if cohort is None:
        abort(404)
    return cohort


def is_trainer_of(cohort: Cohort, user: User) -> bool:
    """Whether the user is one of the cohort's trainers: only they record attendance and sign skills."""
    return any(trainer.id == user.id for trainer in cohort.trainers)
