"""factory_boy factories for the kernel; each service adds its own next to its tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from housing_aid.models import ProviderKind, ServiceProvider, StaffProfile


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:08d}")
    name_ru = factory.LazyAttribute(lambda o: f"Отдел жилищной помощи {o.code}")
    name_kk = factory.LazyAttribute(lambda o: f"Тұрғын үй көмегі бөлімі {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Housing aid office {o.code}")
    region = "Астана"
    kind = ProviderKind.DISTRICT
    opens_at = dt.time(9, 0)
    closes_at = dt.time(18, 30)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Айдос"
    last_name = "Қалиев"
    password = factory.django.Password("pass-12345")


def staff_user(username: str, role: str, *providers: ServiceProvider, all_providers: bool = False):
    user = UserFactory(username=username)
    profile, _ = StaffProfile.objects.update_or_create(
        user=user, defaults={"role": role, "all_providers": all_providers or not providers}
    )
    profile.providers.set(providers)
    if role == "administrator":
        user.is_staff = user.is_superuser = True
        user.save()
    return user
