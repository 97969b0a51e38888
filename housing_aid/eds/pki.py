"""A small CA and RSA signing certificates shaped like NCA RK's (subject ``SERIALNUMBER=IIN...``),
and detached CMS signing in Python: the demo signer (``DJANGO_DEBUG=1``) and the tests use it.
Production never signs on the server: the head's key stays in NCALayer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from housing_aid.eds import aio


@dataclass
class KeyPair:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(common_name: str, *, days: int = 3650, valid_from: dt.datetime | None = None) -> KeyPair:
    key = _key()
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from or now - dt.timedelta(days=1))
        .not_valid_after((valid_from or now) + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(cert, key)


def make_signing_cert(
    ca: KeyPair,
    *,
    iin: str,
    surname: str,
    first_name: str = "",
    patronymic: str = "",
    valid_from: dt.datetime | None = None,
    valid_to: dt.datetime | None = None,
    signing: bool = True,
) -> KeyPair:
    """A personal certificate like NCA RK's RSA signing key (``signing=False``: the AUTH key)."""
    key = _key()
    now = dt.datetime.now(dt.UTC)
    # NCA RK: CN = "SURNAME NAME", SURNAME, SERIALNUMBER = IIN..., C, G = the patronymic.
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, " ".join(p for p in (surname, first_name) if p)),
        x509.NameAttribute(NameOID.SURNAME, surname),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if patronymic:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, patronymic))
    usage = (
        x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        if signing
        else x509.KeyUsage(True, False, True, False, False, False, False, False, False)
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from or now - dt.timedelta(days=1))
        .not_valid_after(valid_to or now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return KeyPair(cert, key)


def sign_detached(data: bytes, signer: KeyPair, chain: list[KeyPair] | None = None) -> bytes:
    """What NCALayer's ``sign`` (format cms, detached, not digested) returns: CMS SignedData DER."""
    return sign_detached_der(data, signer.key_pem, signer.der, [c.der for c in chain or []])


def sign_detached_der(data: bytes, key_pem: bytes, cert_der: bytes, chain_der: list[bytes]) -> bytes:
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = serialization.load_pem_private_key(key_pem, password=None)
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    simple = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert_der),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(d) for d in chain_der]),
    )
    return aio.run(simple.async_sign_general_data(data, "sha256", detached=True)).dump()
