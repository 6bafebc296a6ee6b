"""Organisations: admins create and edit them; a coordinator edits their own organisation's settings."""
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from app import db
from training.access import admin_required, role_required
from training.audit import record
from training.models import Organisation
from training.org_forms import SETTINGS, OrganisationForm

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 600


def reencode_logo(data: bytes) -> bytes | None:
    """The image redrawn as a metadata-free PNG of at most 600×600, or None if it is not a real PNG/JPEG."""
    if len(data) > LOGO_MAX_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                return None
            probe.verify()  # checks the file's structure without decoding it all
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            pixels = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    # Copying only the pixels into a new image leaves EXIF, text chunks and ICC profiles behind.
    clean = Image.new("RGBA", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def editable_organisation_or_404(org_id: int) -> Organisation:
    """The organisation if the user may edit it: any for admins, their own for coordinators."""
    org = db.session.get(Organisation, org_id)
    if org is None or (current_user.role != "admin" and org.id != current_user.organisation_id):
        abort(404)
    return org


def save_form(form: OrganisationForm, org: Organisation) -> list[str] | None:
    """Copy the form into the organisation; the changed setting names, or None after a form error."""
    taken = db.session.scalar(select(Organisation.id).where(Organisation.name == form.name.data.strip(),
                                                           Organisation.id != org.id))
    if taken:
        form.name.errors.append(_("Another organisation already has this name."))
        return None
    changed = []
    if form.logo.data:
        logo = reencode_logo(form.logo.data.read(LOGO_MAX_BYTES + 1))
        if logo is None:
            form.logo.errors.append(_("This file is not a PNG or JPEG image of at most 512 KB."))
            return None
        org.logo_png = logo
        changed.append("logo")
    elif form.remove_logo.data and org.logo_png:
        org.logo_png = None
        changed.append("logo")
    for name in SETTINGS:
        value = getattr(form, name).data
        value = value.strip() or None if isinstance(value, str) else value
        if getattr(org, name) != value:
            setattr(org, name, value)
            changed.append(name)
    titles = {code: title.strip() for code, title in form.signatory_titles.data.items() if title and title.strip()}
    if (org.signatory_titles or {}) != titles:
        org.signatory_titles = titles or None
        changed.append("signatory_titles")
    return changed


@bp.get("/")
@role_required("coordinator")
def index():
    """Admins see every organisation; a coordinator goes straight to their own."""
    if current_user.role != "admin":
        if current_user.organisation_id is None:
            abort(404)
        return redirect(url_for("organisations.edit", org_id=current_user.organisation_id))
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("organisations/index.html", organisations=organisations)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    """Add an organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        org = Organisation(name="")
        changed = save_form(form, org)
        if changed is not None:
            db.session.add(org)
            db.session.flush()
            record("organisation-created", target=f"organisation:{org.id}", organisation_id=org.id)
            db.session.commit()
            flash(_("The organisation is added."), "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/form.html", form=form, org=None)


@bp.route("/<int:org_id>", methods=["GET", "POST"])
@role_required("coordinator")
def edit(org_id: int):
    """Edit an organisation's settings; every change is audited."""
    org = editable_organisation_or_404(org_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        changed = save_form(form, org)
        if changed is not None:
            if changed:
                record("organisation-settings", target=f"organisation:{org.id}", detail=", ".join(changed),
                       organisation_id=org.id)
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(url_for("organisations.edit", org_id=org.id))
    return render_template("organisations/form.html", form=form, org=org)


@bp.get("/<int:org_id>/logo.png")
@role_required("coordinator")
def logo(org_id: int):
    """The stored (re-encoded) logo."""
    org = editable_organisation_or_404(org_id)
    if not org.logo_png:
        abort(404)
    return Response(org.logo_png, mimetype="image/png")
