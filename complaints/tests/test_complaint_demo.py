"""``seed_demo`` loads the terms and a few complaints, and loads nothing twice."""

from __future__ import annotations

import pytest

from complaints import demo
from complaints.models import Complaint
from housing_aid import demo as kernel_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(reference):
    kernel_demo.seed_users()

    demo.seed_demo(with_cases=True)
    demo.seed_demo(with_cases=True)

    assert sorted(Complaint.objects.values_list("status", flat=True)) == [
        "answered",
        "registered",
        "under_review",
    ]
