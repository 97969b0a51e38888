"""What a web worker does once it has loaded the application, before its first request.

Every request allocates thousands of objects, and the garbage collector's passes over the older
generations also walk everything the worker loaded at start: modules, the URL configuration and
the views it imports, the translation catalogs (about 200,000 objects). Measured on the officer's
worklist: 2.6 ms of collection a request, 0.2 ms once those objects are frozen (``gc.freeze``:
moved to a generation the collector never walks; they live as long as the worker anyway).
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def load_and_freeze() -> None:
    """Load what every request needs, then take all that is loaded out of the collector's way."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module the URLs name
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads the language's catalogs
            pass
    gc.collect()
    gc.freeze()
