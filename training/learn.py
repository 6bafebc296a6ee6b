"""The trainee's side: dashboard, module pages one section at a time, handouts and pictures."""
import hashlib
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app import db
from training.access import login_required, public
from training.content import Module, catalog
from training.events import learning_progressed
from training.followup import due_followup
from training.learning import programme_view, record_reading, suited_programmes
from training.lessons import render_section
from training.models import ModuleProgress, emergency_number
from training.notices import dashboard_notices
from training.unsent import give_back

bp = Blueprint("learn", __name__)


def get_module_or_404(slug: str) -> Module:
    """The module with this slug, or 404."""
    module = catalog().modules.get(slug)
    if module is None:
        abort(404)
    return module


def progress_of(user_id: int, slug: str, for_update: bool = False) -> ModuleProgress | None:
    """One person's progress row for one module, if they have started it (locked when it will be changed)."""
    query = select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_slug == slug)
    return db.session.scalar(query.with_for_update() if for_update else query)


def organisation_texts() -> tuple[str, str | None]:
    """The reader's emergency number and their organisation's legal note (the defaults for a visitor)."""
    reader = current_user if current_user.is_authenticated else None
    org = reader.organisation if reader else None
    return emergency_number(org, reader), (org.legal_note if org else None)


_PROGRESS_OF_USER = select(ModuleProgress).where(ModuleProgress.user_id == bindparam("user_id"))  # built once


@bp.get("/dashboard")
@login_required
def dashboard():
    """Programmes that suit the person, with progress bars and a clear next step."""
    content = catalog()
    progress = {row.module_slug: row for row in db.session.scalars(_PROGRESS_OF_USER, {"user_id": current_user.id})}
    language = str(get_locale())
    views = [programme_view(p, content, progress, language) for p in suited_programmes(content, current_user.audience)]
    # One programme is open at a time (the best suited, or the one asked for): a phone shows one list, not three.
    chosen = request.args.get("programme")
    open_view = next((v for v in views if v.programme.slug == chosen), views[0])
    kept = give_back({"code"})  # a join code sent after the session ended (training/unsent.py)
    return render_template("learn/dashboard.html", views=views, open_view=open_view, join_code=kept and kept["code"],
                           followup=due_followup(current_user), notices=dashboard_notices(current_user))


@bp.get("/learn/<slug>")
@bp.get("/learn/<slug>/<int:number>")
@login_required
def module(slug: str, number: int | None = None):
    """One section of a module, with previous/next, a progress bar and 'I have read this'."""
    module = get_module_or_404(slug)
    language = str(get_locale())
    sections = module.sections(language)
    progress = progress_of(current_user.id, slug)
    if number is None:
        return redirect(url_for("learn.module", slug=slug, number=progress.last_section if progress else 1))
    if not 1 <= number <= len(sections):
        abort(404)
    to_call, legal_note = organisation_texts()
    # Someone with neither an organisation nor a number of their own is told the default may not be theirs.
    default_number = to_call if "[[emergency_number]]" in sections[number - 1].body and not (
        current_user.organisation_id or current_user.emergency_number) else None
    generate_csrf()  # the page's form token must exist before the ETag can depend on it
    # The page's form carries the time it was shown (for the reading time), so a cached copy lasts half an hour.
    etag = hashlib.sha256(repr((module.version, language, number, progress and progress.sections_read,
                                progress and progress.quiz_passed_at is not None,
                                to_call, default_number, legal_note, session.get("csrf_token"),
                                int(time.time() // 1800))).encode()).hexdigest()
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    html = render_section(sections[number - 1], module, to_call, legal_note)
    page = render_template("learn/module.html", module=module, sections=sections, number=number,
                           html=html, progress=progress, shown_at=int(time.time()), default_number=default_number,
                           fallback=module.lesson_language(language) != language)
    # Revalidated on every visit, so a second look on a slow line costs a 304 and no page.
    return page, 200, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}


def save_reading(user_id: int, module: Module, total: int, number: int, seconds: int) -> bool:
    """Record one reading of a section; True when it completed the module."""
    for _attempt in range(2):  # a simultaneous first click may create the row first: then count on that row
        progress = progress_of(user_id, module.slug, for_update=True) or ModuleProgress.start(user_id, module.slug)
        progress.content_version, progress.sections_total = module.version, total
        completed = record_reading(progress, number, seconds)
        db.session.add(progress)
        try:
            db.session.commit()
            return completed
        except IntegrityError:
            db.session.rollback()
    return False


@bp.post("/learn/<slug>/<int:number>/read")
@login_required
def mark_read(slug: str, number: int):
    """Record 'I have read this' and go on to the next section (or back to the module list)."""
    module = get_module_or_404(slug)
    total = len(module.sections(str(get_locale())))
    if not 1 <= number <= total:
        abort(404)
    seconds = request.form.get("visible_seconds", type=int)  # from the optional script: time on screen
    if seconds is None:
        seconds = int(time.time()) - request.form.get("shown_at", 0, type=int)
    completed = save_reading(current_user.id, module, total, number, seconds)
    if completed:
        learning_progressed.send(current_app._get_current_object(), user_id=current_user.id)
        flash(_("You finished the module %(title)s.", title=module.text(module.title, str(get_locale()))), "success")
    if number < total:
        return redirect(url_for("learn.module", slug=slug, number=number + 1))
    if request.form.get("then") == "quiz":
        return redirect(url_for("quizzes.module_quiz", slug=slug))
    return redirect(url_for("learn.dashboard") + f"#module-{slug}")


@bp.get("/learn/<slug>/handout")
@public
def handout(slug: str):
    """The whole module on one printable page, for sessions without a connection."""
    module = get_module_or_404(slug)
    language = str(get_locale())
    to_call, legal_note = organisation_texts()
    sections = module.sections(language)
    parts = [(s, render_section(s, module, to_call, legal_note, lazy=False)) for s in sections]
    return render_template("learn/handout.html", module=module, parts=parts,
                           fallback=module.lesson_language(language) != language)


@bp.get("/learn/media/<slug>/<filename>")
@public
def media(slug: str, filename: str):
    """A module's picture; pictures never change without the module's version changing."""
    module = get_module_or_404(slug)
    if not filename.endswith(".svg"):
        abort(404)
    return send_from_directory(module.folder, filename, max_age=7 * 24 * 3600)
