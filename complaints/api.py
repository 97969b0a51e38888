"""``/api/v1/complaints/``: registration, and every declared action (API.md, "Complaints")."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import selectors, services
from complaints.actions import ACTIONS, TRANSITIONS
from complaints.models import Addressee, Complaint, ComplaintStatus
from complaints.serializers import (
    AnswerSerializer,
    ComplaintCreateSerializer,
    ComplaintListSerializer,
    ComplaintSerializer,
    CourtAppealSerializer,
    DeliverySerializer,
    EscalateSerializer,
)
from housing_aid.action_views import CaseActionAPIView
from housing_aid.actions import run_action
from housing_aid.api.fields import created
from housing_aid.api.idempotency import idempotent
from housing_aid.api.pagination import CasePagination
from housing_aid.api.permissions import IsStaff, has_any_role
from housing_aid.api.query import Flag, QueryParameters, Scope, ValidatedQuery
from housing_aid.casework import worklists
from housing_aid.documents import enqueue_documents
from housing_aid.persons import open_case_warnings
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
    scope = Scope()


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
        qs = selectors.complaints_for(
            self.request.user,
            status=self.query.get("status", ""),
            addressee=self.query.get("addressee", ""),
            overdue=self.query.get("overdue", False),
            query=self.query.get("q", ""),
        )
        if self.query.get("scope"):
            qs = worklists.scope(qs, self.request.user, self.query["scope"], Q(status__in=selectors.OPEN))
        return qs.order_by("-id")

    @extend_schema(parameters=[ComplaintQuery])
    def get(self, request):
        return self.list(request)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: created(ComplaintSerializer)})
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
        response = _detail(request, complaint, status.HTTP_201_CREATED)
        response.data["warnings"] = open_case_warnings(complaint)
        return response


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


class ComplaintActionView(CaseActionAPIView):
    """A declared complaint action (``complaints.actions``) answered with the complaint.

    ``names``: the actions this URL serves (another name is 404). The transitions share
    ``transitions/{name}/``; delivery, court appeal and attachments have a URL each (API.md).
    """

    actions = ACTIONS
    model = Complaint
    names: tuple[str, ...] = TRANSITIONS
    status_code = status.HTTP_200_OK

    def detail(self, request, case):
        return _detail(request, case, self.status_code)

    @extend_schema(request=AnswerSerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int, name: str):
        if name not in self.names:
            raise Http404
        return super().post(request, pk, name)


class ComplaintDeliveryView(ComplaintActionView):
    names = ("record_delivery",)

    @extend_schema(request=DeliverySerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int, name: str = "record_delivery"):
        return super().post(request, pk, name)


class ComplaintCourtAppealView(ComplaintActionView):
    names = ("record_court_appeal",)

    @extend_schema(request=CourtAppealSerializer, responses=ComplaintSerializer)
    def post(self, request, pk: int, name: str = "record_court_appeal"):
        return super().post(request, pk, name)


class ComplaintAttachmentsView(ComplaintActionView):
    names = ("add_attachments",)
    parser_classes = [MultiPartParser]
    status_code = status.HTTP_201_CREATED

    def body(self, request) -> dict:
        return {"attachments": request.FILES.getlist("file")}

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: ComplaintSerializer},
    )
    def post(self, request, pk: int, name: str = "add_attachments"):
        return super().post(request, pk, name)


class ComplaintEscalateView(ComplaintActionView):
    """Scope first (another provider's complaint is 404 for every role), then the role (403);
    answered with the new complaint to the quality-control body (201)."""

    @extend_schema(request=EscalateSerializer, responses={201: ComplaintSerializer})
    @idempotent
    def post(self, request, pk: int):
        complaint = selectors.complaint_for_user(request.user, pk)
        child = run_action(ACTIONS, complaint, "escalate", request.user, lambda: self.body(request)).result
        enqueue_documents(child, request.user)
        return _detail(request, child, status.HTTP_201_CREATED)
