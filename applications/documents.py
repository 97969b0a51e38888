"""The documents of housing assistance: which the case's state calls for, the context their
templates read, and the notice the head signs (registered with ``housing_aid.eds``).

They are issued by the kernel's document job (``housing_aid.tasks.issue_case_documents``),
after the action committed; the signed notices by the EDS signing itself.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from applications.models import (
    Application,
    ApplicationStatus,
    Calculation,
    Channel,
    DocumentCode,
    DocumentKind,
    DraftDecision,
    RefusalGround,
    Tenure,
)
from housing_aid import workdays
from housing_aid.documents import documents_of, issue_document
from housing_aid.eds import services as eds

S = ApplicationStatus


def due_document_kinds(app: Application) -> list[str]:
    """The documents the case's state calls for, in the order they are issued."""
    if app.status == S.REJECTED_AT_INTAKE:
        return [DocumentKind.INTAKE_REFUSAL_RECEIPT]
    kinds = [DocumentKind.APPLICATION_FORM]
    if app.channel == Channel.STATE_CORPORATION:
        kinds.append(DocumentKind.ACCEPTANCE_RECEIPT)
    final = {
        S.RETURNED_INCOMPLETE: DocumentKind.RETURN_NOTICE,
        S.ASSIGNED: DocumentKind.ASSIGNMENT_NOTICE,
        S.REFUSED: DocumentKind.REFUSAL_NOTICE,
    }.get(app.status)
    if final is not None:
        kinds.append(final)
    return [str(k) for k in kinds]


def _full_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def issue_due_documents(app: Application, user=None) -> list:
    """Issue what the state calls for and is not issued yet; safe to run twice (the document
    job ``housing_aid.tasks.issue_case_documents`` calls it after commit)."""
    app = Application.objects.select_related("provider", "applicant", "signed_by", "created_by").get(
        pk=app.pk
    )
    issued = set(documents_of(app).values_list("kind", flat=True))
    out = []
    for kind in due_document_kinds(app):
        if kind in issued:
            continue
        signer = ""
        if kind in (DocumentKind.RETURN_NOTICE, DocumentKind.ASSIGNMENT_NOTICE, DocumentKind.REFUSAL_NOTICE):
            signer = _full_name(app.signed_by)
        elif kind in (DocumentKind.ACCEPTANCE_RECEIPT, DocumentKind.INTAKE_REFUSAL_RECEIPT):
            signer = _full_name(app.created_by)
        context = pdf_context(app)
        if kind == DocumentKind.INTAKE_REFUSAL_RECEIPT:
            # Appendix 3: "made in 2 copies, one for each party".
            context["copies"] = [
                gettext_lazy("Copy 1: for the service recipient"),
                gettext_lazy("Copy 2: for the State Corporation"),
            ]
        out.append(
            issue_document(
                app,
                kind,
                f"applications/pdf/{kind}.html",
                context,
                language=app.language,
                user=user,
                title=title(kind),
                signed_by_name=signer,
            )
        )
    return out


def title(kind: str) -> str:
    """A document's title: its kind's name (the PDF's title, "being prepared" on the case page)."""
    return str(DocumentKind(kind).label)


def in_para6_order(codes) -> list:
    """Document labels in the order para 6 lists them, whatever order they were stored in."""
    labels = dict(DocumentCode.choices)
    order = {code: i for i, code in enumerate(DocumentCode.values)}
    return [labels.get(c, c) for c in sorted(codes or [], key=lambda c: (order.get(c, len(order)), c))]


SIGNED_KINDS = {
    S.RETURN_DRAFTED: DocumentKind.RETURN_NOTICE,
    DraftDecision.ASSIGNMENT: DocumentKind.ASSIGNMENT_NOTICE,
    DraftDecision.REFUSAL: DocumentKind.REFUSAL_NOTICE,
}


def signed_document_spec(app: Application) -> eds.SignedDocumentSpec:
    """The notice the head's ``sign`` issues in the case's current state (para 9.2-9.3)."""
    kind = SIGNED_KINDS[S.RETURN_DRAFTED if app.status == S.RETURN_DRAFTED else app.draft_decision]
    return eds.SignedDocumentSpec(
        kind=str(kind),
        template_name=f"applications/pdf/{kind}.html",
        context=pdf_context(app),
        title=title(kind),
        language=app.language,
    )


eds.register(Application, signed_document_spec)


def _calculation_of(app: Application) -> Calculation | None:
    """The case's calculation: the one read with the case (``select_related``), else a query."""
    if Application.calculation.is_cached(app):
        return getattr(app, "calculation", None)
    return Calculation.objects.filter(application=app).first()


def calculation_lines(app: Application) -> tuple[Calculation | None, list[dict]]:
    """The case's calculation and its payment lines with their names (the case page and the
    notices show them)."""
    calculation = _calculation_of(app)
    if calculation is None:
        return None, []
    # lazy: the PDF renders in the document's language, not the caller's
    names = {
        "maintenance": gettext_lazy("Building maintenance"),
        "utilities": gettext_lazy("Utilities"),
        "telecom": gettext_lazy("Telecom subscription-fee increment"),
        "rent": gettext_lazy("Rent of state or akimat-rented housing"),
    }
    return calculation, [
        {**line, "label": names[line["payment"]]} for line in calculation.breakdown.get("payments", [])
    ]


def pdf_context(app: Application) -> dict[str, Any]:
    from applications.models import Relationship
    from complaints.parameters import appeal_terms

    calculation, payment_lines = calculation_lines(app)
    return {
        "app": app,
        "family": list(app.family_members.all()),
        "relationships": dict(Relationship.choices),
        "calculation": calculation,
        "payment_lines": payment_lines,
        "missing_labels": in_para6_order(app.missing_documents),
        "return_missing_labels": in_para6_order(app.return_missing_documents),
        "presented_labels": in_para6_order(app.documents_presented),
        "registry_labels": in_para6_order(app.documents_from_registries),
        # Appendix 3 and the acceptance receipt are issued by the State Corporation's employee.
        "clerk": app.created_by,
        "clerk_profile": getattr(app.created_by, "staff", None) if app.created_by_id else None,
        "ground_label": dict(RefusalGround.choices).get(app.refusal_ground, ""),
        "tenure_label": dict(Tenure.choices).get(app.tenure, app.tenure),
        "family_size": 1 + len(app.family_members.all()),
        # Chapter 3: the notices name where to appeal and the answer terms in force today.
        "appeal": appeal_terms(timezone.localdate(), app.provider),
        # Appendix 2: the term in force on the registration date, as stored on the case.
        "term_days": workdays.working_days_between(app.registered_on, app.due_date)
        if app.registered_on and app.due_date
        else 0,
    }
