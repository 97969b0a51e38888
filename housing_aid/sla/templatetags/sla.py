from __future__ import annotations

from django import template

from housing_aid.sla import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The header bell's count: one indexed COUNT per request, remembered on the request."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is not None and hasattr(request, "_sla_unread"):
        return request._sla_unread
    if hasattr(user, "unread_notifications"):  # read with the session's user (housing_aid.backends)
        return user.unread_notifications
    count = selectors.unread_count(user)
    if request is not None:
        request._sla_unread = count
    return count
