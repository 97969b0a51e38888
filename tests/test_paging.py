from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from housing_aid.models import ServiceProvider
from housing_aid.paging import window_page


def test_pages_know_their_neighbours_without_counting(reference):
    providers = ServiceProvider.objects.order_by("code")  # 8 seeded providers

    with CaptureQueriesContext(connection) as queries:
        first, last, beyond = (window_page(providers, n, 3) for n in ("1", "3", "4"))

    assert [len(first), len(last), len(beyond)] == [3, 2, 0]
    assert (first.has_previous, first.has_next, last.has_next) == (False, True, False)
    assert last.previous_page_number == 2 and first.next_page_number == 2
    assert len(queries) == 3
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_nonsense_page_numbers_mean_the_first_page(reference):
    for page in (None, "", "abc", "-5", "0"):
        assert window_page(ServiceProvider.objects.order_by("code"), page, 3).number == 1


def test_a_worklist_that_can_match_nothing_answers_an_empty_page(db, client):
    """A desk whose scope names no provider yet (``provider_id IN ()``) and a search too short to
    run (``none()``): filters the ORM compiles to nothing. The page's rows and its capped count
    are compiled outside the ORM's own fetching, and answer an empty page, not an error."""
    from housing_aid.roles import Role
    from tests.factories import staff_user

    officer = staff_user("no_providers_yet", Role.CASE_OFFICER)
    officer.staff.all_providers = False
    officer.staff.save()
    client.force_login(officer)
    for url, query in (
        ("/applications/", {}),
        ("/applications/", {"q": "Ә", "state": "all"}),
        ("/applications/", {"order": "newest"}),
        ("/certificates/", {}),
        ("/certificates/", {"q": "Ә"}),
    ):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
        assert 'id="next-page"' not in response.content.decode()
