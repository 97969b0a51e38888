"""``seed_demo`` with ``DJANGO_DEBUG=1``: a demo CA (trusted) and a demo signing key for each
demo head, so ``make run`` signs end to end without NCALayer. Never in production."""

from __future__ import annotations

from django.conf import settings

from housing_aid.eds import pki, trust
from housing_aid.eds.models import DemoSigningKey
from housing_aid.identifiers import iin_check_digit
from housing_aid.models import StaffProfile
from housing_aid.roles import Role


def demo_iin(n: int) -> str:
    """A valid IIN of a man born 1 January 1975 (DOMAIN.md check digit)."""
    while True:
        first = f"7501013{n:04d}"
        check = iin_check_digit(first)
        if check is not None:
            return first + str(check)
        n += 1


def seed_demo_pki() -> int:
    """Keys for the demo heads that have none; returns how many were made."""
    if not settings.DEBUG:
        return 0
    heads = list(
        StaffProfile.objects.filter(role=Role.HEAD).select_related("user").order_by("user__username")
    )
    missing = [p for p in heads if not DemoSigningKey.objects.filter(user=p.user).exists()]
    if not missing:
        return 0
    ca = pki.make_ca("DEMO NCA RK (RSA) - not a real CA")
    trust.add_certificate(ca.asn1(), note="demo CA of seed_demo (DJANGO_DEBUG=1)")
    for n, profile in enumerate(missing, start=1):
        if not profile.iin:
            profile.iin = demo_iin(100 * n)
        if not profile.position:
            profile.position = "Руководитель отдела занятости и социальных программ"
        profile.save(update_fields=["iin", "position"])
        user = profile.user
        cert = pki.make_signing_cert(
            ca,
            iin=profile.iin,
            surname=(user.last_name or user.username).upper(),
            first_name=user.first_name.upper(),
        )
        DemoSigningKey.objects.create(
            user=user, key_pem=cert.key_pem, certificate_der=cert.der, chain_der=ca.der
        )
    return len(missing)
