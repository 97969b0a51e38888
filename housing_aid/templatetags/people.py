from __future__ import annotations

from django import template

from housing_aid import people

register = template.Library()


@register.filter
def person(user) -> str:
    """``{{ user|person }}``: name and position, never the login."""
    return people.person(user)


@register.filter
def actor(event) -> str:
    """``{{ event|actor }}``: who did what a history row records."""
    return people.event_actor(event)


@register.filter
def person_name(user) -> str:
    """``{{ user|person_name }}``: the name alone (lists, where a position would repeat)."""
    return people.full_name(user)
