"""Pluggable SMS backends: the console by default, an HTTP gateway when configured.

``SMS_BACKEND`` names the class; the HTTP backend posts JSON ``{"to", "text", "sender"}`` to
``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN`` and treats any
non-2xx answer as a failure to retry.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message; the task retries."""


class ConsoleSmsBackend:
    def send(self, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return "console"


class HttpGatewaySmsBackend:
    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        self.sender = settings.SMS_SENDER
        self.timeout = settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, phone: str, text: str) -> str:
        body = json.dumps({"to": phone, "text": text, "sender": self.sender}).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read().decode() or "{}"
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        try:
            return str(json.loads(payload).get("id", ""))
        except ValueError:
            return ""


def get_backend():
    return import_string(settings.SMS_BACKEND)()
