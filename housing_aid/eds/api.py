"""``POST /api/v1/{service}/{id}/signing-sessions/`` (API.md "The head's EDS signature")."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from housing_aid.api.permissions import IsStaff
from housing_aid.api.views import visible_case_or_404
from housing_aid.eds import services

SessionSerializer = inline_serializer(
    "SigningSession",
    {
        "id": serializers.UUIDField(),
        "document_kind": serializers.CharField(),
        "data": serializers.CharField(help_text="base64 of the exact bytes the PDF signature covers"),
        "expires_at": serializers.DateTimeField(),
    },
)


class SigningSessionView(APIView):
    """A head of the provider, while ``sign`` is available: the bytes to sign with NCALayer."""

    permission_classes = [IsStaff]
    model = None

    @extend_schema(
        request=None,
        responses={
            201: SessionSerializer,
            401: OpenApiResponse(description="no credentials"),
            403: OpenApiResponse(description="not the head of the provider"),
            404: OpenApiResponse(description="outside the caller's providers"),
            409: OpenApiResponse(description="sign is not available in the current status"),
        },
    )
    def post(self, request, pk: int):
        case = visible_case_or_404(self.model, request.user, pk)
        session = services.create_signing_session(case, request.user)
        return Response(
            {
                "id": str(session.pk),
                "document_kind": session.document_kind,
                "data": services.session_data(session),
                "expires_at": serializers.DateTimeField().to_representation(session.expires_at),
            },
            status=status.HTTP_201_CREATED,
        )
