"""``eds_trust add FILE.pem``, ``create_staff_user --iin`` and the demo keys of ``seed_demo``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from housing_aid.eds.models import DemoSigningKey, TrustedCertificate
from housing_aid.models import StaffProfile
from tests import eds


def test_eds_trust_adds_a_pem_once(tmp_path, db):
    path = tmp_path / "nca.pem"
    path.write_bytes(eds.root().pem + eds.certificate().pem)

    call_command("eds_trust", "add", str(path))
    call_command("eds_trust", "add", str(path))

    rows = list(TrustedCertificate.objects.order_by("-is_root"))
    assert [r.is_root for r in rows] == [True, False]
    assert "Test NCA RK" in rows[0].subject and rows[0].is_active


def test_eds_trust_refuses_a_file_without_a_certificate(tmp_path, db):
    path = tmp_path / "junk.pem"
    path.write_bytes(b"not a certificate")
    with pytest.raises(CommandError):
        call_command("eds_trust", "add", str(path))
    assert not TrustedCertificate.objects.exists()


def test_create_staff_user_records_the_iin_and_refuses_a_wrong_one(reference):
    call_command(
        "create_staff_user",
        "head_x",
        "--role",
        "head",
        "--provider",
        "710000000",
        "--password",
        "x-12345",
        "--iin",
        eds.HEAD_IIN,
    )
    assert StaffProfile.objects.get(user__username="head_x").iin == eds.HEAD_IIN
    with pytest.raises(CommandError):
        call_command(
            "create_staff_user",
            "head_y",
            "--role",
            "head",
            "--provider",
            "710000000",
            "--password",
            "x-12345",
            "--iin",
            "123456789012",
        )


def test_seed_demo_gives_demo_heads_keys_only_in_debug(reference, settings):
    from housing_aid.eds import demo

    call_command("seed_demo", "--no-cases")
    assert not DemoSigningKey.objects.exists()

    settings.DEBUG = True
    assert demo.seed_demo_pki() == StaffProfile.objects.filter(role="head").count() > 0
    assert demo.seed_demo_pki() == 0
    assert TrustedCertificate.objects.filter(is_root=True).count() == 1
    assert all(len(p.iin) == 12 for p in StaffProfile.objects.filter(role="head"))
