"""Adding trusted roots and intermediates (``manage.py eds_trust add FILE.pem``, the admin)."""

from __future__ import annotations

import hashlib

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from housing_aid.eds.models import TrustedCertificate


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM file (one or many) or a single DER certificate."""
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def _rfc4514(cert: asn1_x509.Certificate, which: str) -> str:
    from cryptography import x509 as crypto_x509

    try:
        return getattr(crypto_x509.load_der_x509_certificate(cert.dump()), which).rfc4514_string()
    except ValueError:
        return getattr(cert, which).human_friendly


def add_certificate(cert: asn1_x509.Certificate, note: str = "") -> tuple[TrustedCertificate, bool]:
    der = cert.dump()
    validity = cert["tbs_certificate"]["validity"]
    return TrustedCertificate.objects.get_or_create(
        fingerprint=hashlib.sha256(der).hexdigest(),
        defaults={
            "subject": _rfc4514(cert, "subject")[:500],
            "issuer": _rfc4514(cert, "issuer")[:500],
            "serial": format(cert.serial_number, "x")[:80],
            "not_before": validity["not_before"].native,
            "not_after": validity["not_after"].native,
            "is_root": cert.self_signed != "no",
            "der": der,
            "note": note,
        },
    )


def add_pem(data: bytes, note: str = "") -> list[tuple[TrustedCertificate, bool]]:
    return [add_certificate(cert, note) for cert in load_certificates(data)]
