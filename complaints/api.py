"""``/api/v1/complaints/``: registration, transitions, escalation (API.md, "Complaints")."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import selectors, services
from complaints.models import Addressee, Complaint, ComplaintStatus
from complaints.serializers import (
    AnswerSerializer,
    ComplaintCreateSerializer,
    ComplaintListSerializer,
    ComplaintSerializer,
    CourtAppealSerializer,
    DeliverySerializer,
    EscalateSerializer,
    RefuseSerializer,
    StartReviewSerializer,
)
from housing_aid.api.idempotency import idempotent
from housing_aid.api.pagination import CasePagination
from housing_aid.api.permissions import IsStaff, has_any_role
from housing_aid.api.query import Flag, QueryParameters, ValidatedQuery
from housing_aid.roles import Role


def _detail(request, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
    complaint = selectors.complaint_for_user(request.user, complaint.pk)
    return Response(ComplaintSerializer(complaint, context={"request": request}).data, status=code)


class ComplaintPagination(CasePagination):
    ordering = "-id"


class ComplaintQuery(QueryParameters):
    status = serializers.ChoiceField(choices=ComplaintStatus.choices, allow_blank=True)
    addressee = serializers.ChoiceField(choices=Addressee.choices, allow_blank=True)
    overdue = Flag(help_text="only complaints past their due date")
    q = serializers.CharField(max_length=100, allow_blank=True, help_text="number, IIN or surname")


class ComplaintListCreateView(ValidatedQuery, mixins.ListModelMixin, generics.GenericAPIView):
    serializer_class = ComplaintListSerializer
    pagination_class = ComplaintPagination
    filter_backends: list = []
    query_parameters = ComplaintQuery

    def get_permissions(self):
        if self.request.method == "POST":
            return [has_any_role(Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER, Role.PORTAL)()]
        return [IsStaff()]

    def get_queryset(self):
        return selectors.complaints_for(
            self.request.user,
            status=self.query.get("status", ""),
            addressee=self.query.get("addressee", ""),
            overdue=self.query.get("overdue", False),
            query=self.query.get("q", ""),
        ).order_by("-id")

    @extend_schema(parameters=[ComplaintQuery])
    def get(self, request):
        return self.list(request)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    @idempotent
    def post(self, request):
        data = ComplaintCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        complaint = services.register_complaint(
            user=request.user,
            provider=v["provider"],
            addressee=v["addressee"],
            channel=v["channel"],
            received_at=v.get("received_at"),
            complainant=services.Complainant(**v["complainant"]),
            case_number=v["case_number"].strip(),
            subject=v["subject"],
            respondent=v.get("respondent"),
            language=v.get("language") or _request_language(request),
            text=v["text"],
        )
        return _detail(request, complaint, status.HTTP_201_CREATED)


def _request_language(request) -> str:
    lang = (getattr(request, "LANGUAGE_CODE", "") or "ru")[:2]
    return lang if lang in ("ru", "kk") else "ru"


class ComplaintDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=ComplaintSerializer)
    def get(self, request, pk: int):
        return Response(
            ComplaintSerializer(
                selectors.complaint_for_user(request.user, pk), context={"request": request}
            ).data
        )


TRANSITION_BODIES = {
    "start_review": StartReviewSerializer,
    "answer": AnswerSerializer,
    "refuse_to_consider": RefuseSerializer,
}


class ComplaintTransitionView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=AnswerSerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int, name: str):
        if name not in TRANSITION_BODIES:
            raise Http404
        complaint = selectors.complaint_for_user(request.user, pk)
        body = TRANSITION_BODIES[name](data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        if name == "start_review":
            services.start_review(complaint, request.user, executor=v.get("executor"))
        elif name == "answer":
            services.answer(
                complaint, request.user, v["response"], v.get("language"), v.get("delivery_method")
            )
        else:
            services.refuse_to_consider(
                complaint, request.user, v["reason"], v.get("language"), v.get("delivery_method")
            )
        return _detail(request, complaint)


class ComplaintEscalateView(APIView):
    # Scope first (another provider's complaint is 404 for every role), then the role (403).
    permission_classes = [IsStaff]
    may_escalate = has_any_role(Role.COMPLAINTS_OFFICER, Role.PORTAL)

    @extend_schema(request=EscalateSerializer, responses={201: ComplaintSerializer})
    @idempotent
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_user(request.user, pk)
        if not self.may_escalate().has_permission(request, self):
            self.permission_denied(request)
        body = EscalateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        child = services.escalate(complaint, request.user, **body.validated_data)
        return _detail(request, child, status.HTTP_201_CREATED)


class ComplaintDeliveryView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=DeliverySerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_user(request.user, pk)
        body = DeliverySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_delivery(complaint, request.user, **body.validated_data)
        return _detail(request, complaint)


class ComplaintCourtAppealView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=CourtAppealSerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_user(request.user, pk)
        body = CourtAppealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_court_appeal(complaint, request.user, **body.validated_data)
        return _detail(request, complaint)


class ComplaintAttachmentsView(APIView):
    permission_classes = [IsStaff]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: ComplaintSerializer},
    )
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_user(request.user, pk)
        services.add_attachments(complaint, request.user, request.FILES.getlist("file"))
        return _detail(request, complaint, status.HTTP_201_CREATED)
