"""Who may open the desk, the export and the attachments of applications.

Who may take each action on a case, and why not, is declared with the action in
``applications.actions``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from applications.models import Application
from housing_aid import roles


def closed_reason(application: Application) -> str:
    if application.is_closed:
        return str(_("The case is closed: no further action."))
    return ""


def may_intake(user) -> bool:
    return roles.has_role(user, roles.Role.INTAKE_CLERK)


def may_export(user) -> bool:
    return roles.has_role(
        user, roles.Role.CASE_OFFICER, roles.Role.HEAD, roles.Role.AUDITOR, roles.Role.ADMINISTRATOR
    )


def may_attach(user) -> bool:
    return roles.has_role(user, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER)
