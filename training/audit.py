"""The audit trail: who did what, when and from where (hashed), and the words its page reads it in."""
import hashlib
import hmac
import logging
import re

from babel.lists import format_list
from flask import current_app, has_request_context, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import db
from training.database import begin_writing
from training.forms import role_choices
from training.models import AuditEvent
from training.org_forms import SETTING_LABELS

log = logging.getLogger(__name__)
CURRENT_USER = object()  # record()'s default actor; pass actor=None for "nobody" (system, anonymous)
# What each action code means, for people reading the trail; the database keeps the stable code.
ACTION_LABELS = {
    "login-failed": _l("Failed log-in"),
    "role-changed": _l("Role changed"),
    "organisation-changed": _l("Organisation of an account changed"),
    "password-reset": _l("New one-time password given"),
    "account-disabled": _l("Account switched off"),
    "account-enabled": _l("Account switched on"),
    "account-deleted": _l("Account deleted"),
    "accounts-purged": _l("Unused accounts deleted"),
    "data-exported": _l("Personal data downloaded"),
    "organisation-created": _l("Organisation created"),
    "organisation-settings": _l("Organisation settings changed"),
    "roster-exported": _l("Roster downloaded"),
    "report-exported": _l("Report downloaded"),
    "certificate-issued": _l("Certificate issued"),
    "certificate-renewed": _l("Certificate renewed"),
    "certificate-awarded": _l("Certificate awarded by hand"),
    "certificate-revoked": _l("Certificate revoked"),
    "certificate-reissued": _l("Certificate reissued"),
    "certificates-printed": _l("Certificates printed"),
}
# What a target "kind:id" names, and the page that shows it (endpoint, its id argument), where there is one.
TARGET_LABELS = {
    "certificate": (_l("Certificate no. %(id)s"), "certificates.detail", "certificate_id"),
    "cohort": (_l("Cohort no. %(id)s"), "cohorts.show", "cohort_id"),
    "organisation": (_l("Organisation no. %(id)s"), "organisations.edit", "org_id"),
    "user": (_l("Account no. %(id)s"), None, None),
    "name-hash": (_l("A username (kept scrambled)"), None, None),
}


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a value under the SECRET_KEY: links repeats without storing the value itself."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def record(action: str, target: str | None = None, detail: str | None = None,
           organisation_id: int | None = None, actor=CURRENT_USER, commit: bool = False) -> AuditEvent:
    """Add an audit event; it is saved by the caller's next commit (or now, with commit=True, even in a GET).

    action: a short kebab-case verb, e.g. "certificate-issued", "roster-exported", "role-changed".
    target: what it was done to, as "kind:id" (e.g. "certificate:12"); never a name or anything typed.
    detail: optional non-identifying text, e.g. "trainee -> trainer" or a count of rows.
    organisation_id: whose audit page shows it; defaults to the actor's organisation.
    actor: who did it; defaults to the logged-in user; None records no actor (system jobs, deletions).
    The request's address is stored only as a keyed hash.
    """
    if commit:
        begin_writing()
    if actor is CURRENT_USER:
        actor = current_user if has_request_context() and current_user.is_authenticated else None
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    address = request.remote_addr if has_request_context() else None
    event = AuditEvent(action=action[:40], target=target[:80] if target else None, detail=detail,
                       organisation_id=organisation_id, actor_id=actor.id if actor else None,
                       address_hash=keyed_hash(address) if address else None)
    db.session.add(event)
    log.info("audit %s target=%s actor=%s", action, target, event.actor_id)
    if commit:
        db.session.commit()
    return event


def action_label(action: str) -> str:
    """The action in plain words in the reader's language; an unknown code is shown as it is."""
    return str(ACTION_LABELS.get(action, action))


# Details the code writes, in the reader's words; anything else (a revocation's reason, say) is shown as written.
EXPORTS = {"funder report CSV": _l("Funder report (CSV)"), "trainers' reach CSV": _l("Trainers' reach (CSV)")}
ROWS = re.compile(r"(csv|xlsx), (\d+) rows")
PRINTED = re.compile(r"(certificates|wallet): (\d+)")
ROLES = re.compile(r"(\w+) -> (\w+)")


def detail_text(action: str, detail: str | None) -> str:
    """An event's detail in plain words in the reader's language."""
    if not detail:
        return ""
    if action == "report-exported" and detail in EXPORTS:
        return str(EXPORTS[detail])
    if action == "roster-exported" and (found := ROWS.fullmatch(detail)):
        return ngettext("%(format)s file, %(num)d row", "%(format)s file, %(num)d rows", int(found[2]),
                        format=found[1].upper())
    if action == "certificates-printed" and (found := PRINTED.fullmatch(detail)):
        count = int(found[2])
        return ngettext("%(num)d certificate", "%(num)d certificates", count) if found[1] == "certificates" \
            else ngettext("%(num)d wallet card", "%(num)d wallet cards", count)
    if action == "role-changed" and (found := ROLES.fullmatch(detail)):
        roles = dict(role_choices())
        return f"{roles.get(found[1], found[1])} → {roles.get(found[2], found[2])}"
    if action == "certificate-reissued" and (found := re.fullmatch(r"supersedes certificate:(\d+)", detail)):
        return str(_l("Replaces certificate no. %(id)s", id=found[1]))
    if action == "organisation-settings":
        names = detail.split(", ")
        return format_list([str(SETTING_LABELS.get(name, name)) for name in names], locale=get_locale())
    return detail


def target_label(target: str | None) -> tuple[str, str | None]:
    """What a target names in plain words, and a link to it when it has a page; an unknown kind is shown as it is."""
    kind, _sep, key = (target or "").partition(":")
    if kind not in TARGET_LABELS:
        return target or "—", None
    label, endpoint, argument = TARGET_LABELS[kind]
    link = url_for(endpoint, **{argument: int(key)}) if endpoint and key.isdecimal() else None
    return str(label) % {"id": key}, link
