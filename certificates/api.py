"""REST API of the certificate service (API.md, "Housing certificates")."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import programs, selectors, services
from certificates.actions import ACTIONS, LOAN_ACTIONS
from certificates.models import CertificateRequest, Kind, Status
from certificates.serializers import (
    CertificateCreateSerializer,
    CertificateListSerializer,
    CertificateSerializer,
    ProgramSerializer,
    ProgramUpdateSerializer,
    RepaymentSerializer,
    ReversalSerializer,
    repayment_data,
)
from housing_aid import roles
from housing_aid.action_views import CaseActionAPIView
from housing_aid.actions import run_action
from housing_aid.api.fields import created
from housing_aid.api.idempotency import idempotent
from housing_aid.api.pagination import CasePagination
from housing_aid.api.permissions import IsStaff
from housing_aid.api.query import Flag, QueryParameters, Scope, ValidatedQuery
from housing_aid.casework import worklists
from housing_aid.persons import open_case_warnings


class ProgramPagination(CasePagination):
    ordering = ("-year", "id")


class AdminWrites(BasePermission):
    """Staff read programs; only administrators create and edit them."""

    def has_permission(self, request, view):
        role = roles.role_of(request.user)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return role is not None
        return role == roles.Role.ADMINISTRATOR


class ProgramQuery(QueryParameters):
    provider = serializers.CharField(max_length=20, allow_blank=True, help_text="provider code")
    year = serializers.IntegerField(min_value=2000, max_value=2100, allow_null=True)


class ProgramListView(ValidatedQuery, generics.ListCreateAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [AdminWrites]
    pagination_class = ProgramPagination
    query_parameters = ProgramQuery

    @extend_schema(parameters=[ProgramQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.programs_for(self.request.user)
        if self.query.get("provider"):
            qs = qs.filter(provider__code=self.query["provider"])
        if self.query.get("year") is not None:
            qs = qs.filter(year=self.query["year"])
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not roles.works_for(self.request.user, data["provider"].pk):
            # A provider outside the administrator's scope answers as an unknown code.
            message = serializers.SlugRelatedField.default_error_messages["does_not_exist"]
            raise ValidationError(
                {"provider": [message.format(slug_name="code", value=data["provider"].code)]}
            )
        serializer.instance = programs.create_program(self.request.user, **data)


class ProgramDetailView(generics.RetrieveUpdateAPIView):
    serializer_class = ProgramUpdateSerializer
    permission_classes = [AdminWrites]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.programs_for(self.request.user)

    def perform_update(self, serializer):
        # The budget moves only through the declared action (row lock, one event row).
        data = dict(serializer.validated_data)
        program = serializer.instance
        budget = data.pop("budget", None)
        if budget is not None and budget != program.budget:
            program = run_action(
                programs.PROGRAM_ACTIONS, program, "change_budget", self.request.user, {"budget": budget}
            ).case
        if data.pop("provider", program.provider) != program.provider:
            raise serializers.ValidationError({"provider": [_("A program's provider cannot change.")]})
        if data:
            program = run_action(
                programs.PROGRAM_ACTIONS, program, "change_terms", self.request.user, {"terms": data}
            ).case
        serializer.instance = program


class MayCreateCertificates(BasePermission):
    def has_permission(self, request, view):
        if request.method == "POST":
            return roles.has_role(request.user, roles.Role.CASE_OFFICER, roles.Role.INTAKE_CLERK)
        return roles.role_of(request.user) is not None


class CertificateQuery(QueryParameters):
    status = serializers.ChoiceField(choices=Status.choices, allow_blank=True)
    kind = serializers.ChoiceField(choices=Kind.choices, allow_blank=True)
    overdue = Flag(help_text="only requests past their stage's due date")
    scope = Scope()


class CertificateListView(ValidatedQuery, generics.ListCreateAPIView):
    """``GET``: the caller's visible requests (cursor); ``POST``: register a request."""

    permission_classes = [MayCreateCertificates]
    pagination_class = CasePagination
    query_parameters = CertificateQuery

    def get_serializer_class(self):
        return CertificateCreateSerializer if self.request.method == "POST" else CertificateListSerializer

    @extend_schema(parameters=[CertificateQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.certificates_for(
            self.request.user,
            status=self.query.get("status") or None,
            kind=self.query.get("kind") or None,
            overdue=self.query.get("overdue", False),
        )
        if self.query.get("scope"):
            qs = worklists.scope(
                qs, self.request.user, self.query["scope"], Q(status__in=selectors.OPEN_STATUSES)
            )
        return qs

    @extend_schema(request=CertificateCreateSerializer, responses={201: created(CertificateSerializer)})
    @idempotent
    def post(self, request, *args, **kwargs):
        serializer = CertificateCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = services.register_request(request.user, serializer.validated_data)
        case = selectors.certificate_detail(request.user, case.pk)
        data = CertificateSerializer(case, context={"request": request}).data
        data["warnings"] = services.intake_warnings(case) + open_case_warnings(case)
        return Response(data, status=status.HTTP_201_CREATED)


class CertificateDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, pk: int):
        case = selectors.certificate_detail(request.user, pk)
        return Response(CertificateSerializer(case, context={"request": request}).data)


class CertificateTransitionView(CaseActionAPIView):
    """``POST /api/v1/certificates/{id}/transitions/{name}/`` -> the request, or 400/403/404/409."""

    actions = ACTIONS
    model = CertificateRequest

    def detail(self, request, case):
        case = selectors.certificate_detail(request.user, case.pk)
        return Response(CertificateSerializer(case, context={"request": request}).data)

    @extend_schema(request=None, responses=CertificateSerializer)
    def post(self, request, pk: int, name: str):
        return super().post(request, pk, name)


class LoanActionView(APIView):
    """A trustee's declared action on the loan's case (``certificates.actions.LOAN_ACTIONS``),
    answered 201 with the ledger entry and the outstanding balance."""

    permission_classes = [IsStaff]
    action_name = ""

    def body(self, request, **kwargs):
        """The body as sent: the runner refuses one that is not an object (400), after the role."""
        return request.data

    def post(self, request, pk: int, **kwargs):
        loan = selectors.loan_for(request.user, pk)
        outcome = run_action(
            LOAN_ACTIONS, loan.request, self.action_name, request.user, lambda: self.body(request, **kwargs)
        )
        loan.refresh_from_db()
        return Response(
            {**repayment_data(outcome.result), "outstanding": str(loan.outstanding)},
            status=status.HTTP_201_CREATED,
        )


class RepaymentView(LoanActionView):
    """``POST /api/v1/loans/{id}/repayments/`` (trustee)."""

    action_name = "record_repayment"

    @extend_schema(request=RepaymentSerializer, responses={201: RepaymentSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)


class RepaymentReversalView(LoanActionView):
    """``POST /api/v1/loans/{id}/repayments/{rid}/reverse/`` ``{"reason"}`` (trustee) -> 201 the
    reversing entry. A wrong repayment is never edited or deleted."""

    action_name = "reverse_repayment"

    def body(self, request, *, rid: int):
        data = super().body(request)
        return {**data, "repayment": rid} if isinstance(data, Mapping) else data

    @extend_schema(request=ReversalSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int, rid: int):
        return super().post(request, pk, rid=rid)


class LoanDetailView(APIView):
    """A budget loan: schedule, repayments, outstanding balance and arrears."""

    permission_classes = [IsStaff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        loan = selectors.loan_for(request.user, pk)
        return Response(selectors.loan_summary(loan))
