"""API.md "Working the cases": assignment, bulk assignment, notes, a person's cases and
absences, the same for the three services."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from housing_aid import roles, workdays
from housing_aid.actions import run_action
from housing_aid.api.permissions import IsStaff
from housing_aid.casework import actions as casework_actions
from housing_aid.casework import services
from housing_aid.casework.models import Substitution
from housing_aid.identifiers import validate_iin
from housing_aid.middleware import outside_calendar_message

ERRORS = {
    400: OpenApiResponse(description="invalid body"),
    401: OpenApiResponse(description="no credentials"),
    403: OpenApiResponse(description="the role may not do this"),
    404: OpenApiResponse(description="no such case in the caller's scope"),
    409: OpenApiResponse(description="the case's state does not allow it"),
}


def _model(service: str):
    try:
        return services.model_for_url(service)
    except LookupError as exc:
        raise Http404 from exc


def case_for_user(service: str, pk: int, user):
    """The case if the caller may see it; 404 otherwise, exactly as if it did not exist."""
    return get_object_or_404(_model(service).objects.visible_to(user), pk=pk)


class BulkAssignSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    executor = serializers.CharField(max_length=150)
    reason = serializers.CharField(max_length=1000, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=5000)
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_author(self, note) -> str:
        return services.display_name(note.author)


class PersonCaseSerializer(serializers.Serializer):
    service = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    provider = serializers.CharField()
    registered_on = serializers.DateField(allow_null=True)


def _within_calendar(day):
    """A date the working-day calendar covers (API.md: a date outside its range -> 400)."""
    if not workdays.FIRST_YEAR <= day.year <= workdays.LAST_YEAR:
        raise serializers.ValidationError(outside_calendar_message())


class SubstitutionSerializer(serializers.ModelSerializer):
    absent = serializers.CharField(max_length=150)
    substitute = serializers.CharField(max_length=150)
    # "from" is a Python keyword: declared by name below.
    to = serializers.DateField(source="date_to", validators=[_within_calendar])
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    class Meta:
        model = Substitution
        fields = ["id", "absent", "substitute", "to", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="date_from", validators=[_within_calendar])
        return fields

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "absent": instance.absent.get_username(),
            "substitute": instance.substitute.get_username(),
            "from": instance.date_from.isoformat(),
            "to": instance.date_to.isoformat(),
            "reason": instance.reason,
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
        }


def _body(request):
    """The JSON body as sent: the runner refuses one that is not an object (400), after the role."""
    return request.data


def _case_response(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "executor": case.assignee.get_username() if case.assignee_id else None,
    }


class AssignView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=casework_actions.AssignBody, responses={200: dict, **ERRORS}, operation_id="case_assign"
    )
    def post(self, request, service: str, pk: int):
        # Outside the scope: 404 as for a missing case; the declared action then answers 403
        # for a role that may never assign, before the body is read.
        case = case_for_user(service, pk, request.user)
        outcome = run_action(casework_actions.ACTIONS, case, "assign", request.user, lambda: _body(request))
        return Response(_case_response(outcome.case))


class BulkAssignView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=BulkAssignSerializer,
        responses={
            200: inline_serializer(
                "BulkAssignResult",
                {
                    "assigned": serializers.ListField(child=serializers.IntegerField()),
                    "errors": serializers.DictField(),
                },
            ),
            **ERRORS,
        },
        operation_id="case_bulk_assign",
    )
    def post(self, request, service: str):
        model = _model(service)
        if not roles.has_role(request.user, roles.Role.HEAD, roles.Role.ADMINISTRATOR):
            raise PermissionDenied(_("Only a head assigns cases in bulk."))
        body = BulkAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = casework_actions.bulk_assign(
            model,
            body.validated_data["ids"],
            body.validated_data["executor"],
            request.user,
            reason=body.validated_data["reason"],
        )
        return Response({"assigned": result.assigned, "errors": result.errors})


class NotesView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses={200: NoteSerializer(many=True), **ERRORS}, operation_id="case_notes_list")
    def get(self, request, service: str, pk: int):
        case = case_for_user(service, pk, request.user)
        if not roles.has_role(request.user, *services.NOTE_READER_ROLES):
            raise PermissionDenied(_("Internal notes are for the staff of the service provider."))
        notes = services.notes_of(case, request.user)[:500]
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(
        request=NoteSerializer, responses={201: NoteSerializer, **ERRORS}, operation_id="case_notes_create"
    )
    def post(self, request, service: str, pk: int):
        case = case_for_user(service, pk, request.user)
        note = run_action(
            casework_actions.ACTIONS, case, "add_note", request.user, lambda: _body(request)
        ).result
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class PersonCasesView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses={200: PersonCaseSerializer(many=True), **ERRORS}, operation_id="person_cases")
    def get(self, request, iin: str):
        if not roles.has_role(request.user, *services.PERSON_READER_ROLES):
            raise PermissionDenied(_("Only the staff of a service provider look up a person."))
        try:
            validate_iin(iin)
        except Exception as exc:  # a malformed IIN is a 400 naming the field
            raise serializers.ValidationError({"iin": list(getattr(exc, "messages", [str(exc)]))}) from exc
        rows = [
            {
                "service": row["service"],
                "number": row["case"].number,
                "status": row["case"].status,
                "provider": row["case"].provider.code,
                "registered_on": row["case"].registered_on,
            }
            for row in services.person_cases(iin, request.user)
        ]
        return Response(PersonCaseSerializer(rows, many=True).data)


class SubstitutionsView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        responses={200: SubstitutionSerializer(many=True), **ERRORS}, operation_id="substitutions_list"
    )
    def get(self, request):
        ids = roles.provider_ids_for(request.user)
        qs = Substitution.objects.select_related("absent", "substitute")
        if ids is not None:
            qs = qs.filter(provider_id__in=ids)
        return Response([SubstitutionSerializer().to_representation(s) for s in qs[:200]])

    @extend_schema(
        request=SubstitutionSerializer,
        responses={201: SubstitutionSerializer, **ERRORS},
        operation_id="substitutions_create",
    )
    def post(self, request):
        if not roles.has_role(request.user, roles.Role.HEAD, roles.Role.ADMINISTRATOR):
            raise PermissionDenied(_("Only a head sets substitutes."))
        body = SubstitutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        row = services.set_substitute(
            request.user,
            data["absent"],
            data["substitute"],
            data["date_from"],
            data["date_to"],
            data.get("reason", ""),
        )
        return Response(SubstitutionSerializer().to_representation(row), status=status.HTTP_201_CREATED)
