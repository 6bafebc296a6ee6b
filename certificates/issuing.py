"""Issuing, renewing, awarding, revoking and reissuing certificates; the database keeps one current per person.

Every change is flushed inside a savepoint: when two requests race to issue the same certificate, the unique
`current_key` refuses the second insert, its savepoint is rolled back, and the caller's other work survives.
"""
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import db
from certificates.codes import new_code
from certificates.eligibility import Facts, add_months, load_facts, missing, refresh_missing, status
from certificates.models import Certificate
from training.audit import record
from training.cohorts import Cohort, Membership
from training.collation import name_key
from training.content import Programme, catalog
from training.followup import create_followups
from training.models import Organisation, User, utcnow


def current_key(user_id: int, programme_slug: str) -> str:
    """The value that makes a certificate its holder's one current certificate for the programme."""
    return f"{user_id}:{programme_slug}"


def _audit(action: str, target: str, detail: str | None, organisation_id: int | None, actor: User | None) -> None:
    """Record an accountable action in the audit trail (saved by the caller's commit)."""
    record(action, target, detail, organisation_id, actor=actor)


def _audit_certificate(action: str, certificate: Certificate, detail: str | None = None, actor: User | None = None):
    """Record an accountable change to one certificate."""
    _audit(action, f"certificate:{certificate.id}", detail, certificate.organisation_id, actor)


def chosen_name(user: User) -> str:
    """The name the person wants on their certificates: their own choice, else the name the site knows."""
    return (user.certificate_name or user.display_name or user.username)[:120]


def _build(user: User, programme: Programme, organisation_id: int | None, now: datetime, **fields) -> Certificate:
    """A new current certificate for the user, carrying what will be printed on it."""
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    content = catalog()
    language = user.language or "en"
    return Certificate(
        code=new_code(), user_id=user.id, programme_slug=programme.slug, organisation_id=organisation_id,
        current_key=current_key(user.id, programme.slug),
        name_printed=chosen_name(user),
        language=language, signatory_name=org.signatory_name if org else None,
        signatory_title=org.signatory_title_in(language) if org else None,
        content_versions={slug: content.modules[slug].version for slug in programme.modules},
        issued_at=now, expires_on=add_months(now.date(), programme.validity_months), **fields,
    )


def _save(new: Certificate, old: Certificate | None = None) -> Certificate | None:
    """Insert the certificate (superseding old); None when another request already made one current."""
    try:
        with db.session.begin_nested():
            if old is not None:
                old.current_key, old.superseded_at = None, new.issued_at
                db.session.flush()
                new.supersedes_id = old.id
            db.session.add(new)
            db.session.flush()
    except IntegrityError:
        return None
    if new.user_id is not None:  # the 3- and 6-month questions that feed the 90-90-90 cascade
        create_followups(new.user_id, new.programme_slug, new.issued_at.date())
    return new


def _organisation_for(user: User, programme_slug: str, facts: Facts) -> int | None:
    """The organisation that certifies: the person's own, else that of their cohort for the programme."""
    return user.organisation_id or facts.cohort_organisations.get(programme_slug)


def issue_if_eligible(
    user_id: int, programme_slug: str | None = None, now: datetime | None = None
) -> list[Certificate]:
    """Issue (or renew) every certificate the person has just earned; return the new ones."""
    now = now or utcnow()
    user = db.session.get(User, user_id)
    if user is None:
        return []
    content, facts = catalog(), load_facts(user_id)
    slugs = [programme_slug] if programme_slug else list(content.programmes)
    issued = []
    for slug in slugs:
        programme = content.programmes[slug]
        held = facts.current.get(slug)
        if held is None and slug in facts.revoked:
            continue  # after a revocation only a coordinator may certify again
        if held is None and not missing(programme, facts, now.date()):
            new = _save(_build(user, programme, _organisation_for(user, slug, facts), now))
        elif held is not None and not refresh_missing(programme, content, facts, held):
            new = _save(_build(user, programme, held.organisation_id, now), old=held)
        else:
            continue
        if new is not None:
            _audit_certificate("certificate-issued" if held is None else "certificate-renewed", new)
            issued.append(new)
    return issued


def award_manually(user: User, programme_slug: str, reason: str, by: User, now: datetime) -> Certificate | None:
    """A coordinator's exception: a certificate without the usual requirements; None if one is already current."""
    programme = catalog().programmes[programme_slug]
    org_id = user.organisation_id or by.organisation_id
    new = _save(_build(user, programme, org_id, now, manual_reason=reason, awarded_by_id=by.id))
    if new is not None:
        _audit_certificate("certificate-awarded", new, reason, by)
    return new


def corrected_by(certificate: Certificate) -> list[Certificate]:
    """The older copies this certificate corrects: back through reissues, newest first, up to the last renewal."""
    corrected, newer = [], certificate
    while newer.supersedes_id is not None:
        older = db.session.get(Certificate, newer.supersedes_id)
        # A reissue copies the programme and the expiry date; a renewal sets a new expiry, so it ends the walk.
        if older is None or (older.programme_slug, older.expires_on) != (newer.programme_slug, newer.expires_on):
            break
        corrected.append(older)
        newer = older
    return corrected


def revoke(certificate: Certificate, reason: str, by: User, now: datetime) -> None:
    """Withdraw the certificate's validity, and that of the copies it corrected, for a private reason."""
    # A corrected copy is the same certificate under a new code: left standing, its old code would still verify
    # as "replaced" rather than revoked, and the reports would still count its holder as certified.
    for revoked in (certificate, *corrected_by(certificate)):
        if revoked.revoked_at is None:
            revoked.revoked_at, revoked.revoke_reason, revoked.current_key = now, reason, None
            _audit_certificate("certificate-revoked", revoked, reason, by)


def reissue(certificate: Certificate, by: User, now: datetime, name: str | None = None) -> Certificate | None:
    """A fresh copy under a new code (with a corrected name, or the holder's current one) superseding the old."""
    user = db.session.get(User, certificate.user_id) if certificate.user_id else None
    if user is None or status(certificate, now.date()) not in ("valid", "expired"):
        return None
    programme = catalog().programmes[certificate.programme_slug]
    new = _build(user, programme, certificate.organisation_id, now, manual_reason=certificate.manual_reason,
                 awarded_by_id=certificate.awarded_by_id)
    new.language, new.expires_on = certificate.language, certificate.expires_on  # a correction, not a renewal
    new.name_printed = name or new.name_printed
    new = _save(new, old=certificate)
    if new is not None:
        _audit_certificate("certificate-reissued", new, f"supersedes certificate:{certificate.id}", by)
    return new


def _scoped(query, organisation_id: int | None):
    """Restrict a certificate query to one organisation; None means every organisation (admins)."""
    return query if organisation_id is None else query.where(Certificate.organisation_id == organisation_id)


def expiring(organisation_id: int | None, days: int, today: date) -> list[Certificate]:
    """Current certificates that expire within the next days, soonest first."""
    query = select(Certificate).where(Certificate.current_key.is_not(None), Certificate.expires_on >= today,
                                      Certificate.expires_on <= today + timedelta(days=days))
    return list(db.session.scalars(_scoped(query, organisation_id).order_by(Certificate.expires_on)))


def exceptions(organisation_id: int | None) -> list[Certificate]:
    """Certificates awarded by hand, newest first."""
    query = select(Certificate).where(Certificate.manual_reason.is_not(None), Certificate.supersedes_id.is_(None))
    return list(db.session.scalars(_scoped(query, organisation_id).order_by(Certificate.issued_at.desc())))


def _printable(today: date, *columns):
    """`columns` of what a cohort's batch prints: its members' current, unexpired certificates for its programme."""
    return (select(*columns).select_from(Certificate).join(Membership, Membership.user_id == Certificate.user_id)
            .join(Cohort, Cohort.id == Membership.cohort_id)
            .where(Certificate.programme_slug == Cohort.programme_slug, Certificate.current_key.is_not(None),
                   Certificate.expires_on >= today))


def printable_counts(cohort_ids: list[int], today: date) -> dict[int, int]:
    """How many certificates each cohort's batch would print (one query; cohorts with none are left out)."""
    query = _printable(today, Membership.cohort_id, func.count(Certificate.id)).where(
        Membership.cohort_id.in_(cohort_ids)).group_by(Membership.cohort_id)
    return dict(db.session.execute(query).all())


def cohort_certificates(cohort_id: int, today: date) -> list[Certificate]:
    """The cohort members' current, unexpired certificates for its programme, ordered by printed name."""
    return by_printed_name(db.session.scalars(_printable(today, Certificate).where(Membership.cohort_id == cohort_id)))


def by_printed_name(certificates: Iterable[Certificate]) -> list[Certificate]:
    """Certificates in the order of the names printed on them, as a batch prints them."""
    # Sorted here, not by the database, so SQLite and PostgreSQL collations give the same order.
    return sorted(certificates, key=lambda c: (name_key(c.name_printed), c.id))


def record_batch(cohort_id: int, organisation_id: int, kind: str, count: int, actor: User | None) -> None:
    """Record that someone printed a cohort's certificates."""
    _audit("certificates-printed", f"cohort:{cohort_id}", f"{kind}: {count}", organisation_id, actor)
