"""EDS in tests: a CA of our own, heads' certificates, and signing in Python what NCALayer
would sign. Keys are made once per test session (RSA key generation is the slow part)."""

from __future__ import annotations

import base64
import datetime as dt
import functools

from housing_aid.eds import pki, trust
from housing_aid.eds.demo import demo_iin

# Fixed, wide validity: tests travel in time (2025) and the certificates must hold there.
FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
TO = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)
HEAD_IIN = demo_iin(17)  # a valid IIN (check digit of DOMAIN.md)


@functools.cache
def root() -> pki.KeyPair:
    return pki.make_ca("Test NCA RK (RSA)", valid_from=FROM, days=6000)


@functools.cache
def stranger_root() -> pki.KeyPair:
    return pki.make_ca("Untrusted CA", valid_from=FROM, days=6000)


@functools.cache
def certificate(iin: str = HEAD_IIN, kind: str = "valid") -> pki.KeyPair:
    """``kind``: valid, expired, auth (no signing key usage), untrusted (another CA)."""
    issuer = stranger_root() if kind == "untrusted" else root()
    valid_to = dt.datetime(2021, 1, 1, tzinfo=dt.UTC) if kind == "expired" else TO
    return pki.make_signing_cert(
        issuer,
        iin=iin,
        surname="ӘБІЛОВ",
        first_name="ҚАНАТ",
        patronymic="СЕРІКҰЛЫ",
        valid_from=FROM,
        valid_to=valid_to,
        signing=kind != "auth",
    )


def trust_root() -> None:
    trust.add_certificate(root().asn1())


def give_iin(user, iin: str = HEAD_IIN) -> None:
    user.staff.iin = iin
    user.staff.save(update_fields=["iin"])


def sign(data_b64: str, cert: pki.KeyPair | None = None) -> str:
    cert = cert or certificate()
    issuer = stranger_root() if cert.cert.issuer == stranger_root().cert.subject else root()
    cms = pki.sign_detached(base64.b64decode(data_b64), cert, [issuer])
    return base64.b64encode(cms).decode()


def session(client, application) -> dict:
    response = client.post(f"/api/v1/applications/{application.pk}/signing-sessions/", format="json")
    assert response.status_code == 201, response.content
    return response.json()


def sign_body(client, application, head, cert: pki.KeyPair | None = None) -> dict:
    """The body of ``sign`` as the browser posts it after NCALayer signed."""
    trust_root()
    if not head.staff.iin:
        give_iin(head)
    started = session(client, application)
    return {"signing_session": started["id"], "cms": sign(started["data"], cert)}


def sign_in_python(application, head) -> dict:
    """The same for service-level calls (``services.transition(app, "sign", head, body)``)."""
    from housing_aid.eds import services as eds

    trust_root()
    if not head.staff.iin:
        give_iin(head)
    started = eds.create_signing_session(application, head)
    return {"signing_session": str(started.pk), "cms": sign(eds.session_data(started))}


class StandInNCALayer:
    """A local WebSocket server speaking NCALayer's ``kz.gov.pki.knca.basics`` ``sign``: the
    browser test's stand-in for the application on the head's desktop (plain ws://, no TLS).

    ``mode``: "sign" (signs with ``cert``), "cancel" (the head closes the key-storage dialog).
    """

    def __init__(self, cert: pki.KeyPair | None = None, mode: str = "sign"):
        self.cert = cert
        self.mode = mode
        self.requests: list[dict] = []
        self._server = None
        self._thread = None

    def _handle(self, websocket):
        import json

        for message in websocket:
            request = json.loads(message)
            self.requests.append(request)
            args = request.get("args") or {}
            params = args.get("signingParams") or {}
            if (
                request.get("module") != "kz.gov.pki.knca.basics"
                or request.get("method") != "sign"
                or args.get("format") != "cms"
                or params.get("encapsulate") is not False
                or params.get("digested") is not False
            ):
                websocket.send(json.dumps({"status": False, "code": "500", "message": "unsupported request"}))
            elif self.mode == "cancel":
                websocket.send(json.dumps({"status": False, "code": "500", "message": "action.canceled"}))
            else:
                cms = sign(args["data"], self.cert)
                websocket.send(json.dumps({"status": True, "body": {"result": [cms]}}))

    def __enter__(self):
        import threading

        from websockets.sync.server import serve

        self._server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}"

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=5)
