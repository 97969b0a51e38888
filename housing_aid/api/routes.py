"""The API's URL set of one case service, named the same way for every service."""

from __future__ import annotations

from django.urls import URLPattern, path


def _as_view(view):
    return view.as_view() if hasattr(view, "as_view") else view


def case_api_urls(collection: str, case: str, views: tuple, **members) -> list[URLPattern]:
    """``collection/`` (``api_<collection>``), ``collection/<pk>/`` (``api_<case>``) and
    ``collection/<pk>/transitions/<name>/`` (``api_<case>_transition``) served by ``views``
    (list, one case, its transitions); then one URL per member view, ``collection/<pk>/<member>/``
    (``api_<case>_<member>``, its underscores written as hyphens in the path).

    A view is an APIView class or a view function already made (``View.as_view(model=...)``).
    """
    listing, detail, transition = views
    one = f"{collection}/<int:pk>/"
    return [
        path(f"{collection}/", _as_view(listing), name=f"api_{collection}"),
        path(one, _as_view(detail), name=f"api_{case}"),
        path(f"{one}transitions/<str:name>/", _as_view(transition), name=f"api_{case}_transition"),
        *(
            path(f"{one}{member.replace('_', '-')}/", _as_view(view), name=f"api_{case}_{member}")
            for member, view in members.items()
        ),
    ]
