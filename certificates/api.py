"""REST API of the certificate service (API.md, "Housing certificates")."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import selectors, services
from certificates.models import CertificateRequest
from certificates.serializers import (
    BankDocumentsSerializer,
    CertificateCreateSerializer,
    CertificateListSerializer,
    CertificateSerializer,
    ConcludeAgreementSerializer,
    LapseSerializer,
    ProgramSerializer,
    ProgramUpdateSerializer,
    RefuseSerializer,
    RepaymentSerializer,
    TransferSerializer,
)
from housing_aid import roles
from housing_aid.api.idempotency import idempotent
from housing_aid.api.pagination import CasePagination
from housing_aid.api.permissions import IsStaff
from housing_aid.api.views import visible_case_or_404


class ProgramPagination(CasePagination):
    ordering = ("-year", "id")


class AdminWrites(BasePermission):
    """Staff read programs; only administrators create and edit them."""

    def has_permission(self, request, view):
        role = roles.role_of(request.user)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return role is not None
        return role == roles.Role.ADMINISTRATOR


class ProgramListView(generics.ListCreateAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [AdminWrites]
    pagination_class = ProgramPagination

    @extend_schema(parameters=[OpenApiParameter("provider", str), OpenApiParameter("year", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.programs_for(self.request.user)
        code = self.request.query_params.get("provider")
        if code:
            qs = qs.filter(provider__code=code)
        year = self.request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise ValidationError({"year": ["YYYY"]})
            qs = qs.filter(year=int(year))
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not roles.works_for(self.request.user, data["provider"].pk):
            # A provider outside the administrator's scope answers as an unknown code.
            message = serializers.SlugRelatedField.default_error_messages["does_not_exist"]
            raise ValidationError(
                {"provider": [message.format(slug_name="code", value=data["provider"].code)]}
            )
        serializer.instance = services.create_program(self.request.user, **data)


class ProgramDetailView(generics.RetrieveUpdateAPIView):
    serializer_class = ProgramUpdateSerializer
    permission_classes = [AdminWrites]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.programs_for(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.update_program(
            self.request.user, serializer.instance, **dict(serializer.validated_data)
        )


class MayCreateCertificates(BasePermission):
    def has_permission(self, request, view):
        if request.method == "POST":
            return roles.has_role(request.user, roles.Role.CASE_OFFICER, roles.Role.INTAKE_CLERK)
        return roles.role_of(request.user) is not None


class CertificateListView(generics.ListCreateAPIView):
    """``GET``: the caller's visible requests (cursor); ``POST``: register a request."""

    permission_classes = [MayCreateCertificates]
    pagination_class = CasePagination

    def get_serializer_class(self):
        return CertificateCreateSerializer if self.request.method == "POST" else CertificateListSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("overdue", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.certificates_for(
            self.request.user,
            status=params.get("status") or None,
            kind=params.get("kind") or None,
            overdue=params.get("overdue") == "true",
        )

    @extend_schema(request=CertificateCreateSerializer, responses={201: CertificateSerializer})
    @idempotent
    def post(self, request, *args, **kwargs):
        serializer = CertificateCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = services.register_request(request.user, serializer.validated_data)
        case = selectors.certificate_detail(request.user, case.pk)
        return Response(
            CertificateSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CertificateDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, pk: int):
        case = selectors.certificate_detail(request.user, pk)
        return Response(CertificateSerializer(case, context={"request": request}).data)


def _run(name: str, case: CertificateRequest, user, data):
    if name == "approve":
        return services.approve(case, user)
    if name == "refuse":
        body = _valid(RefuseSerializer, data)
        return services.refuse(case, user, **body)
    if name == "conclude_agreement":
        return services.conclude_agreement(case, user, _valid(ConcludeAgreementSerializer, data))
    if name == "record_transfer":
        return services.record_transfer(case, user, **_valid(TransferSerializer, data))
    if name == "record_bank_documents":
        return services.record_bank_documents(case, user, _valid(BankDocumentsSerializer, data))
    if name == "lapse":
        return services.lapse(case, user, **_valid(LapseSerializer, data))
    raise Http404


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CertificateTransitionView(APIView):
    """``POST /api/v1/certificates/{id}/transitions/{name}/`` -> the request, or 400/403/404/409."""

    permission_classes = [IsStaff]

    @extend_schema(request=None, responses=CertificateSerializer)
    def post(self, request, pk: int, name: str):
        if name not in services.TRANSITIONS:
            raise Http404
        case = visible_case_or_404(CertificateRequest, request.user, pk)
        _run(name, case, request.user, request.data)
        case = selectors.certificate_detail(request.user, pk)
        return Response(CertificateSerializer(case, context={"request": request}).data)


class RepaymentView(APIView):
    """``POST /api/v1/loans/{id}/repayments/`` (trustee)."""

    permission_classes = [IsStaff]

    @extend_schema(request=RepaymentSerializer, responses={201: RepaymentSerializer})
    def post(self, request, pk: int):
        loan = selectors.loan_for(request.user, pk)
        if not roles.has_role(request.user, roles.Role.TRUSTEE):
            # 403 is decided before the body is validated (API.md, conventions).
            raise PermissionDenied(_("Only the trustee records repayments."))
        body = _valid(RepaymentSerializer, request.data)
        repayment = services.record_repayment(loan, request.user, **body)
        return Response(
            {
                "id": repayment.pk,
                "paid_on": repayment.paid_on,
                "amount": str(repayment.amount),
                "reference": repayment.reference,
                "outstanding": str(loan.outstanding),
            },
            status=status.HTTP_201_CREATED,
        )


class LoanDetailView(APIView):
    """A budget loan: schedule, repayments, outstanding balance and arrears."""

    permission_classes = [IsStaff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        loan = selectors.loan_for(request.user, pk)
        return Response(selectors.loan_summary(loan))
