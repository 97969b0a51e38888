"""``/api/v1/applications/``: create, list, read, transitions, attachments (API.md)."""

from __future__ import annotations

import logging

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import selectors, services
from applications.actions import ACTIONS
from applications.models import OPEN_STATUSES, Application, ApplicationStatus, Channel, Stage
from applications.serializers import (
    ApplicationCreateSerializer,
    ApplicationListSerializer,
    ApplicationSerializer,
    AttachmentSerializer,
    TransitionSerializer,
)
from housing_aid import roles
from housing_aid.action_views import CaseActionAPIView
from housing_aid.actions import run_action
from housing_aid.api.fields import created
from housing_aid.api.idempotency import idempotent
from housing_aid.api.pagination import CasePagination
from housing_aid.api.permissions import IsStaff
from housing_aid.api.query import Choices, Flag, QueryParameters, Scope, ValidatedQuery
from housing_aid.api.views import visible_case_or_404
from housing_aid.cases import get_case_for_user
from housing_aid.casework import worklists
from housing_aid.dbrouter import list_reads
from housing_aid.documents import enqueue_documents

log = logging.getLogger(__name__)


def _detail(request, application: Application, status_code=status.HTTP_200_OK) -> Response:
    application = selectors.application_for_detail(request.user, application.pk)
    return Response(ApplicationSerializer(application, context={"request": request}).data, status=status_code)


class ApplicationPagination(CasePagination):
    ordering = "-id"


class ApplicationQuery(QueryParameters):
    status = Choices(choices=ApplicationStatus.choices, help_text="one status or several, comma-separated")
    stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, allow_blank=True)
    overdue = Flag(help_text="only cases past their stage's due date")
    q = serializers.CharField(max_length=100, allow_blank=True, help_text="number, IIN or surname")
    scope = Scope()


class ApplicationListCreateView(ValidatedQuery, generics.GenericAPIView):
    permission_classes = [IsStaff]
    query_parameters = ApplicationQuery
    pagination_class = ApplicationPagination
    serializer_class = ApplicationListSerializer

    def get_queryset(self):
        qs = Application.objects.visible_to(self.request.user).with_list_data()
        query = self.query
        if query.get("status"):
            qs = qs.filter(status__in=query["status"])
        if query.get("stage"):
            qs = qs.in_stage(query["stage"])
        if query.get("channel"):
            qs = qs.filter(channel=query["channel"])
        if query.get("overdue"):
            qs = selectors.overdue(qs)
        if query.get("scope"):
            qs = worklists.scope(qs, self.request.user, query["scope"], Q(status__in=OPEN_STATUSES))
        if query.get("q"):
            qs = selectors.search(qs, query["q"])
        return qs.using(list_reads(self.request.user, searching=bool(query.get("q"))))

    @extend_schema(parameters=[ApplicationQuery], responses=ApplicationListSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApplicationListSerializer(page, many=True).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: created(ApplicationSerializer)})
    @idempotent
    def post(self, request):
        if not roles.has_role(request.user, roles.Role.INTAKE_CLERK, roles.Role.PORTAL):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            application = services.submit_application(serializer.to_intake(), request.user)
        except services.InvalidInput as exc:
            raise serializers.ValidationError(exc.nested) from exc
        enqueue_documents(application, request.user)
        response = _detail(request, application, status.HTTP_201_CREATED)
        response.data["warnings"] = services.intake_warnings(application)
        return response


class ApplicationDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, pk: int):
        return _detail(request, visible_case_or_404(Application, request.user, pk))


class ApplicationTransitionView(CaseActionAPIView):
    actions = ACTIONS
    model = Application

    def detail(self, request, case):
        return _detail(request, case)

    @extend_schema(request=TransitionSerializer, responses=ApplicationSerializer)
    def post(self, request, pk: int, name: str):
        return super().post(request, pk, name)


class ApplicationAttachmentView(APIView):
    permission_classes = [IsStaff]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=AttachmentSerializer, responses={201: dict})
    def post(self, request, pk: int):
        application = get_case_for_user(Application, request.user, pk)
        attachment = run_action(ACTIONS, application, "attach", request.user, lambda: request.data).result
        return Response(
            {
                "id": attachment.pk,
                "document_code": attachment.document_code,
                "name": attachment.original_name,
                "media_type": attachment.media_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
            status=status.HTTP_201_CREATED,
        )
