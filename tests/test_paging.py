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
