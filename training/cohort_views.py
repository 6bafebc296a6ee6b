"""Trainers' and coordinators' cohort pages (list, create, edit, archive, poster, enrol) and joining by code."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import LANGUAGES, db
from training import cohort_service as service
from training.access import (
    get_cohort_or_404,
    is_trainer_of,
    login_required,
    public,
    role_required,
    visible_cohorts,
)
from training.audit import record
from training.cohort_forms import CohortForm, EnrolForm, JoinCodeForm
from training.cohort_service import CohortError
from training.cohorts import Cohort, Membership
from training.content import catalog
from training.layout import SWITCHER_CHOICES
from training.models import Organisation, User, utcnow
from training.once import claim, resent
from training.qr import qr_svg
from training.ratelimit import rate_limited
from training.roster_import import give_one_time_password
from training.roster_views import slips_page
from training.titles import programme_title

# Paths are written out (no url_prefix) because the join links live at /join, outside /cohorts.
bp = Blueprint("cohorts", __name__)
staff_only = role_required("trainer", "coordinator")
JOIN_RATE = "120 per 15 minutes"  # a whole field session may share one address; codes are too many to guess


def join_url(cohort: Cohort) -> str:
    """The public link a trainee opens to join: printed on posters, so it uses the public address."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("cohorts.join", code=cohort.join_code)


def fill_choices(form: CohortForm, organisation_id: int | None, exclude: int | None) -> None:
    """Programme, organisation (admins only) and co-trainer choices for the cohort form."""
    language = str(get_locale())
    form.programme.choices = [(slug, programme_title(slug, language)) for slug in catalog().programmes]
    if current_user.role == "admin" and organisation_id is None:
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.name))
        form.organisation.choices = [(org.id, org.name) for org in orgs]
    else:
        del form.organisation
    trainers = service.organisation_trainers(organisation_id)
    form.trainers.choices = [(t.id, f"{t.name} ({t.username})") for t in trainers if t.id != exclude]


def apply_form(cohort: Cohort, form: CohortForm) -> None:
    """Copy the form's details onto the cohort (never its organisation or code)."""
    cohort.name, cohort.programme_slug = form.name.data.strip(), form.programme.data
    cohort.language, cohort.delivery = form.language.data, form.delivery.data
    cohort.starts_on, cohort.ends_on = form.starts_on.data, form.ends_on.data
    cohort.location = (form.location.data or "").strip() or None
    cohort.region = (form.region.data or "").strip() or None


@bp.get("/cohorts")
@staff_only
def index():
    """The cohorts the user may see, active ones first, with how many trainees each has."""
    counts = (select(Membership.cohort_id, func.count().label("trainees"))
              .group_by(Membership.cohort_id).subquery())
    query = (visible_cohorts(current_user).add_columns(func.coalesce(counts.c.trainees, 0))
             .outerjoin(counts, counts.c.cohort_id == Cohort.id).options(joinedload(Cohort.organisation))
             .order_by(Cohort.starts_on.desc(), Cohort.name))
    rows = db.session.execute(query).all()
    active = [(c, n) for c, n in rows if c.archived_at is None]
    archived = [(c, n) for c, n in rows if c.archived_at is not None]
    return render_template("cohorts/index.html", active=active, archived=archived, title=programme_title)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@staff_only
def create():
    """A new cohort in the user's organisation (an admin picks one); a trainer creating it runs it."""
    if current_user.role != "admin" and current_user.organisation_id is None:
        abort(403)
    is_admin = current_user.role == "admin"
    form = CohortForm(language=str(get_locale()))
    fill_choices(form, None if is_admin else current_user.organisation_id, current_user.id)
    if form.validate_on_submit():
        submission = claim(form.once.data)
        if submission is None:
            return resent(form.once.data, url_for("cohorts.index"))
        org_id = form.organisation.data if is_admin else current_user.organisation_id
        cohort = Cohort(organisation_id=org_id)
        apply_form(cohort, form)
        db.session.add(cohort)
        db.session.flush()
        submission.outcome = url_for("cohorts.show", cohort_id=cohort.id)
        creator = {current_user.id} if current_user.role == "trainer" else set()
        if save_with_trainers(cohort, form, set(form.trainers.data) | creator):
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


def save_with_trainers(cohort: Cohort, form: CohortForm, trainer_ids: set[int]) -> bool:
    """Give the cohort these trainers and commit; a trainer from elsewhere undoes it all and is named on the form."""
    try:
        service.set_trainers(cohort, trainer_ids)
    except CohortError:
        db.session.rollback()
        form.trainers.errors.append(_("Choose trainers of the cohort's organisation."))
        return False
    db.session.commit()
    return True


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(cohort_id: int):
    """Change a cohort's details and co-trainers; a trainer editing it stays one of its trainers."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    keep = {current_user.id} if is_trainer_of(cohort, current_user) and current_user.role == "trainer" else set()
    form = CohortForm(data={"name": cohort.name, "programme": cohort.programme_slug, "language": cohort.language,
                            "delivery": cohort.delivery, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on,
                            "location": cohort.location, "region": cohort.region,
                            "trainers": [t.id for t in cohort.trainers]})
    fill_choices(form, cohort.organisation_id, next(iter(keep), None))
    if form.validate_on_submit():
        apply_form(cohort, form)
        if save_with_trainers(cohort, form, set(form.trainers.data) | keep):
            flash(_("Cohort %(name)s saved.", name=cohort.name), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.post("/cohorts/<int:cohort_id>/archive")
@staff_only
def archive(cohort_id: int):
    """Archive a cohort (its code stops working) or bring it back; the form says which."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    archived = request.form.get("archived") == "1"
    service.set_archived(cohort, archived, utcnow())
    db.session.commit()
    flash(_("Cohort archived.") if archived else _("Cohort restored."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>")
@staff_only
def show(cohort_id: int):
    """A cohort's summary, trainers, join code and link, and the way to its other pages."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    trainees = service.member_counts([cohort.id]).get(cohort.id, 0)
    return render_template("cohorts/show.html", cohort=cohort, trainees=trainees, join_url=join_url(cohort),
                           title=programme_title(cohort.programme_slug, str(get_locale())),
                           has_roster="rosters.grid" in current_app.view_functions)


@bp.get("/cohorts/<int:cohort_id>/poster")
@staff_only
def poster(cohort_id: int):
    """A printable A4 poster with the big join code, the link and its QR code, for a field session."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    url = join_url(cohort)
    # qr_svg builds its markup from fixed tags and numbers only (the URL is encoded into squares, never
    # copied as text), so nothing a user typed can reach the page through it.
    qr = Markup(qr_svg(url))  # noqa: S704  # nosec B704
    # The poster speaks the trainees' language (the sessions' unless another is chosen for a mixed group); the
    # page around it (menu, back link) stays in the trainer's.
    language = request.args.get("language") if request.args.get("language") in LANGUAGES else cohort.language
    with force_locale(language):
        poster = Markup(render_template(  # noqa: S704 - an autoescaped template's output  # nosec B704
            "cohorts/_poster.html", cohort=cohort, join_url=url, qr=qr,
            title=programme_title(cohort.programme_slug, language)))
    return render_template("cohorts/poster.html", cohort=cohort, poster=poster, poster_language=language,
                           languages=SWITCHER_CHOICES)


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["GET", "POST"])
@staff_only
def enrol(cohort_id: int):
    """Enrol people who have an account, by username; one unknown name and nobody is enrolled."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            result = service.enrol_usernames(cohort, service.parse_usernames(form.usernames.data))
        except CohortError as error:
            db.session.rollback()
            names = ", ".join(error.names)
            form.usernames.errors.append({
                "unknown": _("Nobody was enrolled. Unknown usernames: %(names)s", names=names),
                "other-organisation": _("Nobody was enrolled. These people belong to another organisation: "
                                        "%(names)s", names=names),
                "staff": _("Nobody was enrolled. These are staff accounts, which are not enrolled as trainees: "
                           "%(names)s", names=names),
            }[error.reason])
        else:
            db.session.commit()
            flash(_("%(count)d enrolled, %(already)d already in the cohort.", count=len(result.enrolled),
                    already=len(result.already)), "success")
            return redirect(url_for("cohorts.enrol", cohort_id=cohort.id))
    return render_template("cohorts/enrol.html", cohort=cohort, form=form, members=service.members_of(cohort))


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@staff_only
def remove_member(cohort_id: int, user_id: int):
    """Take a trainee out of the cohort; what they did stays recorded."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    if not service.remove_member(cohort, user_id):
        abort(404)
    db.session.commit()
    flash(_("Removed from the cohort."), "success")
    return redirect(url_for("cohorts.enrol", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/password")
@staff_only
def new_password(cohort_id: int, user_id: int):
    """A trainee of the cohort forgot their password: print them a slip with a new one-time password."""
    cohort = get_cohort_or_404(cohort_id, current_user)
    member = db.session.get(User, user_id)
    # Only trainees: a trainer may not take over a colleague's or a coordinator's account this way.
    if member is None or member.role != "trainee" or not service.is_member(cohort.id, member.id):
        abort(404)
    password = give_one_time_password(member)
    record("password-reset", target=f"user:{member.id}", organisation_id=cohort.organisation_id)
    db.session.commit()
    return slips_page(cohort, [(member.username, password)], back=url_for("cohorts.enrol", cohort_id=cohort.id))


def get_joinable_or_404(code: str) -> Cohort:
    """The cohort with this join code (any case or spacing), or 404."""
    cohort = service.find_by_code(code)
    if cohort is None:
        abort(404)
    return cohort


@bp.route("/join/<code>", methods=["GET", "POST"])
@rate_limited(JOIN_RATE, "join-link")
@public
def join(code: str):
    """The link on the poster: a trainee confirms and is enrolled once; a visitor logs in or signs up first."""
    cohort = get_joinable_or_404(code)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if current_user.role != "trainee" or cohort.archived_at is not None:
            abort(403)
        joined = service.join(cohort, current_user)
        db.session.commit()
        flash(_("You joined %(name)s.", name=cohort.name) if joined else
              _("You are already in %(name)s.", name=cohort.name), "success")
        return redirect(url_for("learn.dashboard"))
    member = current_user.is_authenticated and service.is_member(cohort.id, current_user.id)
    return render_template("cohorts/join.html", cohort=cohort, member=member,
                           title=programme_title(cohort.programme_slug, str(get_locale())))


@bp.route("/join", methods=["GET", "POST"])
@login_required
@rate_limited(JOIN_RATE, "join-code")
def join_code():
    """Join with a typed code (the dashboard shows this form); codes ignore case and spaces."""
    form = JoinCodeForm()
    if form.validate_on_submit():
        cohort = service.find_by_code(form.code.data)
        if cohort is None:
            form.code.errors.append(_("No group has this code. Check it with your trainer."))
        elif cohort.archived_at is not None:
            form.code.errors.append(_("This group has ended and takes no new members."))
        elif current_user.role != "trainee":
            form.code.errors.append(_("Only trainees join groups. Your account is a staff account."))
        else:
            joined = service.join(cohort, current_user)
            db.session.commit()
            flash(_("You joined %(name)s.", name=cohort.name) if joined else
                  _("You are already in %(name)s.", name=cohort.name), "success")
            return redirect(url_for("learn.dashboard"))
    return render_template("cohorts/join_code.html", form=form)
