from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housing_aid.settings")
application = get_wsgi_application()

from housing_aid.warmup import load_and_freeze  # noqa: E402 - after Django is set up

load_and_freeze()
