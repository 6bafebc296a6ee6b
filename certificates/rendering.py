"""From a stored certificate to what is printed: translated labels, dates and titles in the holder's language."""
from collections.abc import Iterable, Iterator

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from certificates.models import Certificate
from certificates.pdf import PAGE_SIZES, CertificateLabels, CertificateView
from certificates.wallet import WalletLabels, WalletView
from training.content import catalog
from training.models import Organisation, emergency_number


def certificate_labels() -> CertificateLabels:
    """The certificate's interface text in the current locale."""
    return CertificateLabels(
        title=_("Certificate of completion"), certifies=_("This certifies that"), completed=_("has completed"),
        issued=_("Issued"), valid_until=_("Valid until"), verify_at=_("Verify at"),
    )


def wallet_labels(emergency_number: str) -> WalletLabels:
    """The wallet card's interface text in the current locale."""
    return WalletLabels(
        heading=_("If someone may have overdosed"),
        steps=(_("Check for a response and shout"), _("Call %(number)s", number=emergency_number),
               _("Give naloxone"), _("Recovery position, stay with them")),
        emergency=_("Emergency number"),
    )


def certificate_view(certificate: Certificate, organisation: Organisation | None) -> CertificateView:
    """Everything printed on one certificate, in the language it was issued in."""
    content = catalog()
    programme = content.programmes[certificate.programme_slug]
    language = certificate.language
    with force_locale(language):
        labels = certificate_labels()
        issued_on = format_date(certificate.issued_at.date(), "long")
        valid_until = format_date(certificate.expires_on, "long")
    modules = tuple(content.modules[slug].text(content.modules[slug].title, language) for slug in programme.modules
                    if slug in content.modules)
    paper = organisation.paper_size if organisation and organisation.paper_size in PAGE_SIZES else "A4"
    return CertificateView(
        language=language, labels=labels, holder_name=certificate.name_printed,
        programme_title=programme.title.get(language) or programme.title["en"], module_titles=modules,
        organisation_name=organisation.name if organisation else "", signatory_name=certificate.signatory_name or "",
        signatory_title=certificate.signatory_title or "", issued_on=issued_on, valid_until=valid_until,
        code=certificate.code, public_base_url=current_app.config["PUBLIC_BASE_URL"], page_size=paper,
        logo=organisation.logo_png if organisation else None,
    )


def wallet_view(certificate: Certificate, organisation: Organisation | None, number: str | None = None) -> WalletView:
    """One wallet card: the certificate's front and the response steps with the emergency number.

    The number is the holder's own when they print their card; batches print the organisation's.
    """
    number = number or emergency_number(organisation)
    with force_locale(certificate.language):
        labels = wallet_labels(number)
    return WalletView(certificate_view(certificate, organisation), labels, number)


def organisations_of(certificates: Iterable[Certificate]) -> dict[int, Organisation]:
    """The organisations of these certificates, in one query."""
    ids = {c.organisation_id for c in certificates if c.organisation_id}
    return {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))} if ids else {}


def certificate_views(certificates: list[Certificate]) -> Iterator[CertificateView]:
    """Views for a batch, built one at a time as the PDF writer asks for them."""
    organisations = organisations_of(certificates)
    for certificate in certificates:
        yield certificate_view(certificate, organisations.get(certificate.organisation_id))


def wallet_views(certificates: list[Certificate]) -> Iterator[WalletView]:
    """Wallet cards for a batch, built one at a time."""
    organisations = organisations_of(certificates)
    for certificate in certificates:
        yield wallet_view(certificate, organisations.get(certificate.organisation_id))
