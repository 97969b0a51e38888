"""Every HTML page carries a Content-Security-Policy without 'unsafe-inline', and the pages
hold no inline script, handler or style attribute that such a policy would block (issue 10)."""

from __future__ import annotations

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)

PAGES = [
    ("officer", "/applications/"),
    ("clerk", "/applications/intake/"),
    ("officer", "/certificates/"),
    ("clerk", "/certificates/new/"),
    ("complaints_officer", "/complaints/"),
    ("complaints_officer", "/complaints/new/"),
    ("head", "/sla/dashboard/"),
    ("head", "/sla/notifications/"),
    ("head", "/applications/signing/"),
    ("trustee", "/certificates/loans/"),
    ("admin_user", "/admin/"),
    (None, "/login/"),
    (None, "/api/v1/docs/"),
]


def _assert_strict_policy(response):
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_every_html_page_has_a_strict_csp_and_no_inline_code(client, request, persona, url):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    else:
        request.getfixturevalue("db")

    response = client.get(url)

    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    _assert_strict_policy(response)
    html = response.content.decode()
    if not url.startswith("/admin/"):  # Django's own admin templates are not ours to edit
        assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group()
        assert not INLINE_STYLE.search(html), html[INLINE_STYLE.search(html).start() :][:200]


def test_json_and_pdf_answers_carry_no_page_policy(api, officer):
    response = api.as_user(officer).get("/api/v1/providers/")

    assert "Content-Security-Policy" not in response.headers
