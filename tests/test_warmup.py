"""A web worker loads the application and freezes what it loaded (housing_aid.warmup) before its
first request: the views, the URL configuration and the catalogs are loaded, and the collector
walks only what requests allocate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import gc, sys
import housing_aid.wsgi
from django.test import Client
assert "applications.views" in sys.modules and "complaints.views" in sys.modules
frozen = gc.get_freeze_count()
assert frozen > 50_000, frozen
response = Client().get("/login/")
assert response.status_code == 200, response.status_code
print("frozen", frozen)
"""


def test_the_wsgi_application_is_loaded_and_frozen_before_its_first_request():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_DEBUG="1", AXES_ENABLED="0")
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "frozen" in result.stdout
