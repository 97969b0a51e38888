"""Verifying the head's CMS before anything is signed (API.md "The head's EDS signature").

RSA (SHA-256) is verified in-process with pyHanko's CMS validator and certvalidator against
the trusted certificates in the database. GOST 34.310-2004 / GOST 34.10-2015 go through a
verifier port; the adapter here speaks NCANode's JSON API (``EDS_VERIFIER_URL``).
Every refusal is a :class:`Refused` with a message for the user; the caller answers 400.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from housing_aid.eds import aio

# OIDs of the Kazakh GOST algorithms (KNCA): GOST 34.310-2004 and GOST 34.10-2015.
GOST_OID_PREFIXES = ("1.2.398.3.10.1.1.", "1.2.398.3.10.1.3.", "1.2.643.")
IIN_RE = re.compile(r"^IIN(\d{12})$")


class Refused(Exception):
    """The CMS is not accepted; ``message`` tells the head why (400 under ``cms``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Signer:
    name: str
    iin: str
    certificate_serial: str
    issuer: str
    algorithm: str


def decode_cms(cms_b64) -> tuple[bytes, cms.SignedData]:
    if not isinstance(cms_b64, str) or not cms_b64.strip():
        raise Refused(_("The signature (CMS) is required."))
    try:
        der = base64.b64decode(cms_b64.strip(), validate=True)
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed = info["content"]
        signed["signer_infos"].native  # noqa: B018 - parse the whole structure now
        return der, signed
    except (ValueError, TypeError, binascii.Error):
        raise Refused(_("The signature is not a CMS in base64.")) from None


def _signer_certificate(signed: cms.SignedData) -> tuple[cms.SignerInfo, asn1_x509.Certificate]:
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise Refused(_("The signature must have exactly one signer."))
    info = infos[0]
    sid = info["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            if (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            ):
                return info, cert
        elif cert.key_identifier == sid.chosen.native:
            return info, cert
    raise Refused(_("The signature does not carry the signer's certificate."))


def _name_value(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    return value[0] if isinstance(value, list) else value or ""


def subject_iin(cert: asn1_x509.Certificate) -> str:
    """NCA RK puts the IIN in the subject as ``SERIALNUMBER=IIN123456789012``."""
    match = IIN_RE.match(_name_value(cert.subject, "serial_number").strip())
    return match.group(1) if match else ""


def subject_name(cert: asn1_x509.Certificate) -> str:
    common = _name_value(cert.subject, "common_name")
    given = _name_value(cert.subject, "given_name")
    return " ".join(p for p in (common, given) if p) or cert.subject.human_friendly


def issuer_name(cert: asn1_x509.Certificate) -> str:
    """The issuer as RFC 4514 (``CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA),C=KZ``)."""
    from cryptography import x509 as crypto_x509

    try:
        return crypto_x509.load_der_x509_certificate(cert.dump()).issuer.rfc4514_string()
    except ValueError:
        return cert.issuer.human_friendly


def is_gost(info: cms.SignerInfo, cert: asn1_x509.Certificate) -> bool:
    oids = (
        info["signature_algorithm"]["algorithm"].dotted,
        info["digest_algorithm"]["algorithm"].dotted,
        cert.public_key["algorithm"]["algorithm"].dotted,
    )
    return any(oid.startswith(GOST_OID_PREFIXES) for oid in oids)


def _check_certificate(cert: asn1_x509.Certificate, expected_iin: str, now: dt.datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    if not (validity["not_before"].native <= now <= validity["not_after"].native):
        raise Refused(
            _("The certificate is not valid now (valid from %(start)s to %(end)s).")
            % {
                "start": validity["not_before"].native.date().isoformat(),
                "end": validity["not_after"].native.date().isoformat(),
            }
        )
    usage = set(cert.key_usage_value.native) if cert.key_usage_value else set()
    # An NCA RK signing key: digitalSignature + nonRepudiation; the authentication key lacks the latter.
    if not {"digital_signature", "non_repudiation"} <= usage:
        raise Refused(
            _("This is not a signing certificate (key usage). Choose the signing key (RSA/GOST), not AUTH.")
        )
    _check_iin(subject_iin(cert), expected_iin)


def _check_iin(iin: str, expected_iin: str) -> None:
    if not expected_iin:
        raise Refused(_("Your staff profile has no IIN: ask the administrator to record it."))
    if iin != expected_iin:
        raise Refused(_("The certificate belongs to another person (the IIN is not yours)."))


def trusted_certificates() -> tuple[list[asn1_x509.Certificate], list[asn1_x509.Certificate]]:
    from housing_aid.eds.models import TrustedCertificate

    roots, others = [], []
    for der, is_root in TrustedCertificate.objects.filter(is_active=True).values_list("der", "is_root"):
        (roots if is_root else others).append(asn1_x509.Certificate.load(bytes(der)))
    return roots, others


def validation_context(extra_certs=()) -> ValidationContext:
    roots, others = trusted_certificates()
    revocation = getattr(settings, "EDS_REVOCATION", "")
    if revocation in ("soft-fail", "hard-fail", "require"):
        # OCSP/CRL from the certificates' AIA and CRL distribution points.
        return ValidationContext(
            trust_roots=roots,
            other_certs=others + list(extra_certs),
            allow_fetching=True,
            revocation_mode=revocation,
        )
    return ValidationContext(trust_roots=roots, other_certs=others + list(extra_certs), allow_fetching=False)


def verify_rsa(signed: cms.SignedData, data: bytes, expected_iin: str) -> Signer:
    info, cert = _signer_certificate(signed)
    now = timezone.now()
    status = aio.run(
        async_validate_detached_cms(
            data,
            signed,
            signer_validation_context=validation_context(),
            key_usage_settings=KeyUsageConstraints(),
        )
    )
    if not (status.intact and status.valid):
        raise Refused(_("The signature does not match the document: it was made over other data."))
    _check_certificate(cert, expected_iin, now)
    if status.revoked:
        raise Refused(_("The certificate is revoked."))
    if not status.trusted:
        raise Refused(_("The certificate is not issued by a trusted certification authority (NCA RK)."))
    return Signer(
        name=subject_name(cert),
        iin=subject_iin(cert),
        certificate_serial=format(cert.serial_number, "x"),
        issuer=issuer_name(cert),
        algorithm=info["signature_algorithm"].signature_algo,
    )


# -- the port for GOST ---------------------------------------------------------


class NCANodeVerifier:
    """NCANode (``POST {EDS_VERIFIER_URL}/cms/verify``): verifies GOST CMS with KalkanCrypt.

    Request ``{"cms", "data", "revocationCheck"}``; answer ``{"status", "valid", "signers":
    [{"certificates": [{"valid", "notBefore", "notAfter", "keyUsage", "serialNumber",
    "revocations", "subject": {"iin", "commonName", ...}, "issuer": {"commonName", "dn"}}]}]}``.
    """

    def __init__(self, url: str, timeout: float = 10.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def verify(self, cms_der: bytes, data: bytes) -> dict:
        revocation = ["OCSP"] if getattr(settings, "EDS_REVOCATION", "") else []
        body = json.dumps(
            {
                "cms": base64.b64encode(cms_der).decode(),
                "data": base64.b64encode(data).decode(),
                "revocationCheck": revocation,
            }
        ).encode()
        if not self.url.startswith(("http://", "https://")):
            raise Refused(_("The GOST signature verifier is not reachable; try again later."))
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.url + "/cms/verify", data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                return json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError, OSError):
            raise Refused(_("The GOST signature verifier is not reachable; try again later.")) from None


def verify_gost(signed: cms.SignedData, cms_der: bytes, data: bytes, expected_iin: str) -> Signer:
    url = getattr(settings, "EDS_VERIFIER_URL", "")
    if not url:
        raise Refused(
            _("GOST signatures need a signature verifier, and none is configured. Use the RSA key.")
        )
    answer = NCANodeVerifier(url).verify(cms_der, data)
    signers = answer.get("signers") or []
    if not answer.get("valid") or len(signers) != 1 or not signers[0].get("certificates"):
        raise Refused(_("The signature does not match the document: it was made over other data."))
    cert = signers[0]["certificates"][0]
    now = timezone.now()
    try:
        start = dt.datetime.fromisoformat(cert["notBefore"])
        end = dt.datetime.fromisoformat(cert["notAfter"])
    except (KeyError, ValueError, TypeError):
        raise Refused(_("The signature verifier gave an answer that cannot be read.")) from None
    if not (start <= now <= end):
        raise Refused(
            _("The certificate is not valid now (valid from %(start)s to %(end)s).")
            % {"start": start.date().isoformat(), "end": end.date().isoformat()}
        )
    if cert.get("keyUsage") != "SIGN":
        raise Refused(
            _("This is not a signing certificate (key usage). Choose the signing key (RSA/GOST), not AUTH.")
        )
    if any(r.get("revoked") for r in cert.get("revocations") or []):
        raise Refused(_("The certificate is revoked."))
    if not cert.get("valid"):
        raise Refused(_("The certificate is not issued by a trusted certification authority (NCA RK)."))
    subject = cert.get("subject") or {}
    _check_iin(subject.get("iin", ""), expected_iin)
    issuer = cert.get("issuer") or {}
    return Signer(
        name=subject.get("commonName", ""),
        iin=subject.get("iin", ""),
        certificate_serial=str(cert.get("serialNumber", "")),
        issuer=issuer.get("dn") or issuer.get("commonName", ""),
        algorithm="gost",
    )


def verify(cms_b64, data: bytes, expected_iin: str) -> tuple[Signer, bytes]:
    """The signer of ``cms_b64`` over exactly ``data``, or :class:`Refused`."""
    cms_der, signed = decode_cms(cms_b64)
    if signed["encap_content_info"]["content"].native is not None:
        raise Refused(_("The signature must be detached (the document is not inside the CMS)."))
    info, cert = _signer_certificate(signed)
    if is_gost(info, cert):
        return verify_gost(signed, cms_der, data, expected_iin), cms_der
    return verify_rsa(signed, data, expected_iin), cms_der
