"""Error pages speak the user's language: a missing or out-of-scope case (404), a screen the
role may not open (403, with the reason) and refused input (400) were Django's bare English
pages (lang="en", "Not Found", "403 Forbidden") or a line of plain text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("language", "not_found", "denied"),
    [("ru", "Страница не найдена", "Доступ запрещён"), ("kk", "Бет табылмады", "Кіруге тыйым салынған")],
)
def test_404_and_403_are_pages_in_the_users_language(client, officer, language, not_found, denied):
    client.force_login(officer)
    client.cookies["django_language"] = language

    missing = client.get("/applications/999999/")
    forbidden = client.get("/sla/dashboard/")

    assert missing.status_code == 404 and forbidden.status_code == 403
    for response, title in ((missing, not_found), (forbidden, denied)):
        page = response.content.decode()
        assert f'<html lang="{language}">' in page and title in page
        assert "Not Found" not in page and "Forbidden" not in page
    # the reason the view gave is shown, translated
    assert "руководителям" in forbidden.content.decode() or "басшыларға" in forbidden.content.decode()


def test_refused_input_is_a_page_in_the_users_language(client, officer):
    client.force_login(officer)
    client.cookies["django_language"] = "kk"

    response = client.get("/applications/?q=%00")

    page = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert '<html lang="kk">' in page and "Қате сұрау" in page and "NUL" in page


def test_the_500_page_draws_without_a_request_in_the_active_language(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("kk"):
        response = server_error(rf.get("/applications/"))

    assert response.status_code == 500
    assert '<html lang="kk">' in response.content.decode() and "Сервер қатесі" in response.content.decode()
