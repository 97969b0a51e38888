"""``{% work_panel case %}``: the executor, assignment and internal notes on any case page."""

from __future__ import annotations

from django import template

from housing_aid.casework.views import work_panel as panel_context

register = template.Library()


@register.inclusion_tag("casework/_work_panel.html", takes_context=True)
def work_panel(context, case):
    request = context["request"]
    return {
        "work": panel_context(request, case),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }
