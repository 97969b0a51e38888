"""Reference data, calendar, token, documents and the applicant's status lookup."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from housing_aid import roles, workdays
from housing_aid import status as status_lookup
from housing_aid.api.authentication import is_expired
from housing_aid.api.permissions import IsStaff
from housing_aid.cases import get_case_for_user, of_visible_case
from housing_aid.documents import pdf_response
from housing_aid.models import IssuedDocument, ServiceProvider
from housing_aid.two_factor import second_factor_error

MAX_CALENDAR_SPAN = 366
MAX_WORKING_DAYS = 3660


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False, allow_blank=True, help_text="TOTP code: required for the roles in OTP_REQUIRED_ROLES"
    )


class TokenView(APIView):
    """``POST /api/v1/auth/token/``: wrong credentials answer 400; a token expires
    ``API_TOKEN_TTL_SECONDS`` after issue. ``DELETE`` (with the token) revokes it."""

    def get_authenticators(self):
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = dict(data.validated_data)
        otp_token = credentials.pop("otp_token", "")
        user = authenticate(request._request, **credentials)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        _device, message = second_factor_error(user, otp_token)
        if message:
            raise serializers.ValidationError({"otp_token": [message]})
        token, _created = Token.objects.get_or_create(user=user)
        if is_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)


class ProviderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceProvider
        fields = ["code", "name", "region", "kind"]


class ProvidersView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProviderSerializer(many=True))
    def get(self, request):
        providers = ServiceProvider.objects.filter(is_active=True).order_by("region", "code")
        return Response(ProviderSerializer(providers, many=True).data)


def _parse_date(value: str | None, field: str) -> dt.date:
    if not value:
        raise serializers.ValidationError({field: [_("This parameter is required (YYYY-MM-DD).")]})
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None
    if not workdays.FIRST_YEAR <= day.year <= workdays.LAST_YEAR - 1:
        raise serializers.ValidationError(
            {
                field: [
                    _("The calendar covers %(a)s to %(b)s.")
                    % {"a": workdays.FIRST_YEAR, "b": workdays.LAST_YEAR - 1}
                ]
            }
        )
    return day


class WorkingDaysView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("from", str, required=True), OpenApiParameter("to", str, required=True)],
        responses=inline_serializer(
            "CalendarDay",
            {
                "date": serializers.DateField(),
                "working": serializers.BooleanField(),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
    )
    def get(self, request):
        start = _parse_date(request.query_params.get("from"), "from")
        end = _parse_date(request.query_params.get("to"), "to")
        if end < start:
            raise serializers.ValidationError({"to": [_("'to' must not be before 'from'.")]})
        if (end - start).days + 1 > MAX_CALENDAR_SPAN:
            raise serializers.ValidationError({"to": [_("At most 366 days at a time.")]})
        calendar = workdays.get_calendar()
        return Response(
            [
                {"date": day.isoformat(), "working": working, "reason": reason}
                for day, working, reason in calendar.days(start, end)
            ]
        )


class AddWorkingDaysView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True),
            OpenApiParameter("days", int, required=True),
        ],
        responses=inline_serializer(
            "AddWorkingDays",
            {
                "start": serializers.DateField(),
                "days": serializers.IntegerField(),
                "result": serializers.DateField(),
            },
        ),
    )
    def get(self, request):
        start = _parse_date(request.query_params.get("start"), "start")
        raw = request.query_params.get("days")
        try:
            days = int(raw)
        except (TypeError, ValueError):
            raise serializers.ValidationError({"days": [_("Enter a whole number of days.")]}) from None
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise serializers.ValidationError(
                {"days": [_("The number of days must be between 0 and %(max)s.") % {"max": MAX_WORKING_DAYS}]}
            )
        result = workdays.add_working_days(start, days)
        return Response({"start": start.isoformat(), "days": days, "result": result.isoformat()})


class DocumentPdfView(APIView):
    """An issued document's PDF, for users who can see its case (404 otherwise)."""

    permission_classes = [IsStaff]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, number: str):
        return pdf_response(
            of_visible_case(IssuedDocument.objects.filter(number=number).first(), request.user)
        )


class StatusThrottle(AnonRateThrottle):
    scope = "status_lookup"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CaseStatusHistorySerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()


class CaseStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    service = serializers.ChoiceField(["housing_assistance", "housing_certificate", "complaint"])
    status = serializers.CharField()
    status_display = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    history = CaseStatusHistorySerializer(many=True)


class StatusView(APIView):
    """``GET /api/v1/status/?number=&iin=``: a wrong number or IIN answers the same 404."""

    serializer_class = CaseStatusSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [StatusThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("number", str, required=True),
            OpenApiParameter("iin", str, required=True),
        ],
        responses={
            200: CaseStatusSerializer,
            404: OpenApiResponse(
                description="No case with this number and IIN (the same answer for either)."
            ),
        },
    )
    def get(self, request):
        errors = status_lookup.missing_parameters(request.query_params)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        case = status_lookup.find_case(request.query_params["number"], request.query_params["iin"])
        if case is None:
            raise Http404
        return Response(case.public_status())


def visible_case_or_404(model, user, pk):
    """``get_*_for_user``: another provider's case answers 404 exactly like a missing one."""
    return get_case_for_user(model, user, pk)


__all__ = ["visible_case_or_404", "roles", "status"]
