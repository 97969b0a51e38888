"""Worklist pages without ``COUNT(*)``: fetch one row more than the page to know whether a
next page exists. Officers work the first pages of a deadline-ordered list; a count over a
large table on every page view is the cost this avoids."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PAGE = 10_000


@dataclass
class WindowPage:
    object_list: list = field(default_factory=list)
    number: int = 1
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def window_page(queryset, page: str | int | None, per_page: int) -> WindowPage:
    """Page ``page`` (1-based; anything unparseable is page 1) of an ordered queryset."""
    try:
        number = min(max(int(page or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return WindowPage(rows[:per_page], number, len(rows) > per_page)
