"""API.md "The head's EDS signature": the signing scenarios of issue 11."""

from __future__ import annotations

import base64
import io

import pytest
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from applications.models import Application
from housing_aid.eds import aio
from housing_aid.eds import verify as eds_verify
from housing_aid.eds.models import SigningSession
from housing_aid.models import IssuedDocument
from tests import eds


def transition(api, user, application, name, body=None):
    return api.as_user(user).post(
        f"/api/v1/applications/{application.pk}/transitions/{name}/", body or {}, format="json"
    )


@pytest.fixture
def drafted(api, registered, officer):
    """An application with a drafted assignment, waiting for the head's signature."""
    application = registered()
    transition(api, officer, application, "start_review")
    transition(api, officer, application, "start_verification")
    response = transition(
        api,
        officer,
        application,
        "draft_assignment",
        {"quarter_income": "300000", "payments": {"maintenance": "5000", "utilities": "9000"}},
    )
    assert response.json()["status"] == "decision_drafted"
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def signer_head(head):
    eds.trust_root()
    eds.give_iin(head)
    return head


def _unsigned(application):
    application.refresh_from_db()
    return (
        application.status == "decision_drafted"
        and not IssuedDocument.objects.filter(object_id=application.pk, kind="assignment_notice").exists()
    )


def test_a_valid_rsa_signature_signs_and_the_pdf_validates_against_the_test_root(api, drafted, signer_head):
    started = eds.session(api.as_user(signer_head), drafted)
    assert started["document_kind"] == "assignment_notice"
    data = base64.b64decode(started["data"])
    session = SigningSession.objects.get(pk=started["id"])
    assert data == session.signed_bytes() and data.startswith(b"%PDF")

    response = transition(
        api,
        signer_head,
        drafted,
        "sign",
        {"signing_session": started["id"], "cms": eds.sign(started["data"])},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "assigned"
    notice = next(d for d in body["documents"] if d["kind"] == "assignment_notice")
    assert notice["signature"]["iin"] == eds.HEAD_IIN
    assert notice["signature"]["signer"] == "ӘБІЛОВ ҚАНАТ СЕРІКҰЛЫ"
    assert notice["signature"]["certificate_serial"] == format(eds.certificate().cert.serial_number, "x")
    assert "Test NCA RK" in notice["signature"]["issuer"]
    document = IssuedDocument.objects.get(number=notice["number"])
    pdf = bytes(document.pdf)
    # The issued file is the prepared one with the CMS in its reserved region: same byte range.
    assert pdf[: session.reserved_start] + pdf[session.reserved_end :] == data
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # Through the kernel's helper: a browser test earlier in this worker may leave a loop running.
    status = aio.run(
        async_validate_pdf_signature(
            signature, ValidationContext(trust_roots=[eds.root().asn1()], allow_fetching=False)
        )
    )
    assert status.bottom_line and status.coverage.name == "ENTIRE_FILE"
    # The PDF downloaded is byte for byte the one validated.
    download = api.as_user(signer_head).get(f"/api/v1/documents/{document.number}/pdf/")
    assert download.status_code == 200 and download.content == pdf
    # The verification page behind the QR code says so, with the IIN masked.
    page = api.get(f"/verify/{document.verification_token}/").content.decode()
    assert document.number in page and 'data-valid="true"' in page
    assert eds.HEAD_IIN not in page and eds.HEAD_IIN[-4:] in page
    public_pdf = api.get(f"/verify/{document.verification_token}/pdf/")
    assert public_pdf.status_code == 200 and public_pdf.content == pdf


@pytest.mark.parametrize("case", ["altered", "untrusted", "another_iin", "expired", "auth_key"])
def test_each_refusal_answers_400_under_cms_and_leaves_the_case_unsigned(api, drafted, signer_head, case):
    started = eds.session(api.as_user(signer_head), drafted)
    data = started["data"]
    if case == "altered":
        raw = bytearray(base64.b64decode(data))
        raw[200] ^= 1
        cms = eds.sign(base64.b64encode(bytes(raw)).decode())
    else:
        cert = {
            "untrusted": eds.certificate(kind="untrusted"),
            "another_iin": eds.certificate(iin="900101300019"),
            "expired": eds.certificate(kind="expired"),
            "auth_key": eds.certificate(kind="auth"),
        }[case]
        cms = eds.sign(data, cert)

    response = api.as_user(signer_head, "en").post(
        f"/api/v1/applications/{drafted.pk}/transitions/sign/",
        {"signing_session": started["id"], "cms": cms},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert list(response.json()) == ["cms"]
    expected = {
        "altered": "does not match the document",
        "untrusted": "not issued by a trusted",
        "another_iin": "another person",
        "expired": "not valid now",
        "auth_key": "not a signing certificate",
    }[case]
    assert expected in response.json()["cms"][0]
    assert _unsigned(drafted)
    assert SigningSession.objects.get(pk=started["id"]).used_at is None


def test_refusal_messages_follow_the_language(api, drafted, signer_head):
    started = eds.session(api.as_user(signer_head), drafted)
    cms = eds.sign(started["data"], eds.certificate(iin="900101300019"))
    response = api.as_user(signer_head, "kk").post(
        f"/api/v1/applications/{drafted.pk}/transitions/sign/",
        {"signing_session": started["id"], "cms": cms},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["cms"][0] != "The certificate belongs to another person (the IIN is not yours)."


def test_a_used_session_answers_409(api, drafted, signer_head, officer):
    started = eds.session(api.as_user(signer_head), drafted)
    body = {"signing_session": started["id"], "cms": eds.sign(started["data"])}
    assert transition(api, signer_head, drafted, "sign", body).status_code == 200

    again = transition(api, signer_head, drafted, "sign", body)
    assert again.status_code == 409


def test_a_used_session_answers_409_after_send_back_and_redraft(api, drafted, signer_head, officer):
    """A session of a case that went back and was drafted again cannot sign the new draft."""
    started = eds.session(api.as_user(signer_head), drafted)
    assert transition(api, signer_head, drafted, "send_back", {"reason": "Уточните доход"}).status_code == 200
    redrafted = transition(
        api, officer, drafted, "draft_refusal", {"ground": "non_compliance", "reason": "Доход выше порога"}
    )
    assert redrafted.json()["status"] == "decision_drafted", redrafted.json()
    body = {"signing_session": started["id"], "cms": eds.sign(started["data"])}
    response = transition(api, signer_head, drafted, "sign", body)
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "signing_session_expired"


def test_an_expired_session_answers_409(api, drafted, signer_head, at_intake_day):
    started = eds.session(api.as_user(signer_head), drafted)
    body = {"signing_session": started["id"], "cms": eds.sign(started["data"])}
    at_intake_day.shift(16 * 60)
    response = transition(api, signer_head, drafted, "sign", body)
    assert response.status_code == 409 and _unsigned(drafted)


def test_sign_without_cms_or_session_answers_400(api, drafted, signer_head):
    started = eds.session(api.as_user(signer_head), drafted)
    no_cms = transition(api, signer_head, drafted, "sign", {"signing_session": started["id"]})
    no_session = transition(api, signer_head, drafted, "sign", {})
    garbage = transition(
        api, signer_head, drafted, "sign", {"signing_session": started["id"], "cms": "bm90IGEgY21z"}
    )

    assert no_cms.status_code == 400 and "cms" in no_cms.json()
    assert no_session.status_code == 400 and "signing_session" in no_session.json()
    assert garbage.status_code == 400 and "cms" in garbage.json()
    assert _unsigned(drafted)


def test_a_head_without_an_iin_on_the_profile_cannot_sign(api, drafted, head):
    eds.trust_root()
    started = eds.session(api.as_user(head), drafted)
    response = transition(
        api, head, drafted, "sign", {"signing_session": started["id"], "cms": eds.sign(started["data"])}
    )
    assert response.status_code == 400 and "ИИН" in response.json()["cms"][0]


def test_signing_sessions_are_for_the_head_of_the_provider_while_sign_is_available(
    api, drafted, registered, signer_head, officer, other_head
):
    path = f"/api/v1/applications/{drafted.pk}/signing-sessions/"
    from rest_framework.test import APIClient

    assert APIClient().post(path).status_code == 401
    assert api.as_user(officer).post(path).status_code == 403
    assert api.as_user(other_head).post(path).status_code == 404
    fresh = registered()
    conflict = api.as_user(signer_head).post(f"/api/v1/applications/{fresh.pk}/signing-sessions/")
    assert conflict.status_code == 409 and conflict.json()["status"] == "registered"


def test_an_abandoned_session_leaves_no_gap_in_document_numbers(api, drafted, signer_head):
    first = eds.session(api.as_user(signer_head), drafted)
    second = eds.session(api.as_user(signer_head), drafted)
    numbers = set(
        SigningSession.objects.filter(pk__in=[first["id"], second["id"]]).values_list(
            "document_number", flat=True
        )
    )
    assert len(numbers) == 1


def test_gost_without_a_verifier_answers_400_saying_so(settings):
    """A GOST CMS (the KNCA OID) without EDS_VERIFIER_URL is refused with a clear message."""
    settings.EDS_VERIFIER_URL = ""
    with translation.override("en"), pytest.raises(eds_verify.Refused, match="GOST"):
        eds_verify.verify_gost(None, b"", b"", eds.HEAD_IIN)


# NCANode's answer to POST /cms/verify for a GOST 34.10-2015 signature, as recorded.
NCANODE_VALID = {
    "status": 200,
    "message": "",
    "valid": True,
    "signers": [
        {
            "certificates": [
                {
                    "valid": True,
                    "revocations": [{"revoked": False, "by": "OCSP", "revocationTime": None, "reason": None}],
                    "notBefore": "2025-01-10T09:00:00+00:00",
                    "notAfter": "2026-01-10T09:00:00+00:00",
                    "keyUsage": "SIGN",
                    "serialNumber": "5e6a3b1f0c2d4e8a9b7c6d5e4f3a2b1c0d9e8f7a",
                    "signAlg": "ECGOST3410-2015-512",
                    "keyUser": ["INDIVIDUAL", "ORGANIZATION"],
                    "subject": {
                        "commonName": "ӘБІЛОВ ҚАНАТ",
                        "surName": "ӘБІЛОВ",
                        "iin": eds.HEAD_IIN,
                        "serialNumber": "IIN" + eds.HEAD_IIN,
                        "country": "KZ",
                        "dn": "CN=ӘБІЛОВ ҚАНАТ,SURNAME=ӘБІЛОВ,SERIALNUMBER=IIN" + eds.HEAD_IIN + ",C=KZ",
                    },
                    "issuer": {
                        "commonName": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022",
                        "country": "KZ",
                        "dn": "CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022,C=KZ",
                    },
                }
            ]
        }
    ],
}


@pytest.fixture
def ncanode(settings):
    """A local HTTP server answering /cms/verify with a recorded NCANode response."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    answers = {"next": NCANODE_VALID, "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answers["requests"].append((self.path, body))
            payload = json.dumps(answers["next"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EDS_VERIFIER_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield answers
    server.shutdown()
    server.server_close()


def test_ncanode_adapter_accepts_a_valid_gost_signature(ncanode, time_machine):
    time_machine.move_to("2025-06-01T10:00:00+05:00")
    signer = eds_verify.verify_gost(None, b"0\x80cms", b"%PDF-bytes", eds.HEAD_IIN)

    ((path, body),) = ncanode["requests"]
    assert path == "/cms/verify" and base64.b64decode(body["data"]) == b"%PDF-bytes"
    assert (signer.iin, signer.certificate_serial, signer.algorithm) == (
        eds.HEAD_IIN,
        "5e6a3b1f0c2d4e8a9b7c6d5e4f3a2b1c0d9e8f7a",
        "gost",
    )
    assert "GOST" in signer.issuer


@pytest.mark.parametrize(
    "change, message",
    [
        ({"valid": False}, "does not match the document"),
        ({"iin": "900101300019"}, "another person"),
        ({"keyUsage": "AUTH"}, "not a signing certificate"),
        ({"notAfter": "2025-02-01T00:00:00+00:00"}, "not valid now"),
        ({"cert_valid": False}, "not issued by a trusted"),
        ({"revoked": True}, "revoked"),
    ],
)
def test_ncanode_adapter_refusals(ncanode, time_machine, change, message):
    import copy

    time_machine.move_to("2025-06-01T10:00:00+05:00")
    answer = copy.deepcopy(NCANODE_VALID)
    cert = answer["signers"][0]["certificates"][0]
    if "valid" in change:
        answer["valid"] = change["valid"]
    if "iin" in change:
        cert["subject"]["iin"] = change["iin"]
    if "keyUsage" in change:
        cert["keyUsage"] = change["keyUsage"]
    if "notAfter" in change:
        cert["notAfter"] = change["notAfter"]
    if "cert_valid" in change:
        cert["valid"] = False
    if "revoked" in change:
        cert["revocations"][0]["revoked"] = True
    ncanode["next"] = answer
    with translation.override("en"), pytest.raises(eds_verify.Refused, match=message):
        eds_verify.verify_gost(None, b"cms", b"data", eds.HEAD_IIN)
