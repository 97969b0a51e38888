"""PAdES with pyHanko: prepare the final PDF with an empty signature field, embed the CMS
that NCALayer returns, and validate a signed PDF against the trusted roots."""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from housing_aid.eds import aio

FIELD_NAME = "HeadSignature"
# Room for the CMS (hex, twice its size): a 2-3 certificate chain and signed attributes.
BYTES_RESERVED = 32768


@dataclass(frozen=True)
class Prepared:
    pdf: bytes
    reserved_start: int
    reserved_end: int

    @property
    def signed_bytes(self) -> bytes:
        return self.pdf[: self.reserved_start] + self.pdf[self.reserved_end :]


def prepare(pdf: bytes, *, reason: str = "", name: str = "") -> Prepared:
    """The PDF with an empty ``/ETSI.CAdES.detached`` signature field and its byte range."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        name=name or None,
    )
    # No key here: NCALayer signs in the browser; the placeholder signer only sizes the field.
    external = signers.ExternalSigner(signing_cert=None, cert_registry=None, signature_value=bytes(256))
    pdf_signer = signers.PdfSigner(meta, signer=external)
    digest, _tbs, output = aio.run(
        pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=BYTES_RESERVED)
    )
    return Prepared(output.getvalue(), digest.reserved_region_start, digest.reserved_region_end)


def embed(prepared: Prepared, cms_der: bytes) -> bytes:
    """The prepared PDF with the CMS written into its reserved ``/Contents``."""
    out = io.BytesIO(prepared.pdf)
    PreparedByteRangeDigest(b"", prepared.reserved_start, prepared.reserved_end).fill_with_cms(out, cms_der)
    return out.getvalue()


def fits(cms_der: bytes) -> bool:
    return len(cms_der) * 2 <= BYTES_RESERVED


@dataclass(frozen=True)
class PdfCheck:
    signatures: int
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool

    @property
    def ok(self) -> bool:
        return self.signatures == 1 and self.intact and self.valid and self.trusted and self.covers_whole_file


def validate_pdf(pdf: bytes, roots: list[asn1_x509.Certificate], others=(), moment=None) -> PdfCheck:
    """Re-validate a signed PDF: one signature, intact, trusted (at ``moment``, the signing
    time: a certificate that expires later does not undo a signature), over the whole file."""
    reader = PdfFileReader(io.BytesIO(pdf))
    sigs = reader.embedded_signatures
    if len(sigs) != 1:
        return PdfCheck(len(sigs), False, False, False, False)
    context = ValidationContext(
        trust_roots=roots, other_certs=list(others), allow_fetching=False, moment=moment
    )
    status = aio.run(async_validate_pdf_signature(sigs[0], context))
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return PdfCheck(
        1,
        bool(status.intact),
        bool(status.valid),
        bool(status.trusted),
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
