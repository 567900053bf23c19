"""The public inquiry API: POST /api/v1/inquiries/ and GET /api/v1/inquiries/<reference>/."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from indgang.lib.http import client_address

from .lifecycle import Channel
from .models import Inquiry
from .serializers import (
    ErrorSerializer,
    InquiryCreatedSerializer,
    InquiryCreateSerializer,
    InquiryStatusSerializer,
)
from .services import inquiry_submit
from .tracking import (
    client_key,
    inquiry_for_contact,
    status_text,
    timeline_for,
    tracking_blocked,
    tracking_failure_record,
)


class _ClientAddress:
    """Counts per client address (NUM_PROXIES trusted proxies, see lib.http): a client cannot pick
    its own X-Forwarded-For to escape."""

    def get_ident(self, request) -> str:
        return client_address(request)


class InquiryRateThrottle(_ClientAddress, ScopedRateThrottle):
    """INQUIRY_RATE (REST_FRAMEWORK's "inquiries" rate) per client address."""


class LookupRateThrottle(_ClientAddress, AnonRateThrottle):
    pass


def inquiry_status_data(inquiry: Inquiry) -> dict:
    return {
        "reference": inquiry.reference,
        "status": inquiry.status,
        "status_text": status_text(inquiry),
        "service": inquiry.service.slug if inquiry.service else None,
        "received_at": inquiry.received_at,
        "due_on": inquiry.due_on,
        "timeline": [
            {"at": s.at, "kind": s.kind, "text": s.text, "message": s.message}
            for s in timeline_for(inquiry)
        ],
    }


class InquiryCreateView(APIView):
    authentication_classes: list = []  # no session, so no CSRF: a plain public JSON endpoint
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [InquiryRateThrottle]
    throttle_scope = "inquiries"

    @extend_schema(
        operation_id="inquiry_create",
        summary="Send an inquiry",
        description=(
            "Sends an inquiry to the municipality, as the web form does. It gets a reference, "
            "is routed to the team that handles the service, and is promised an answer by "
            "`due_on` (working days). When there is an e-mail address a receipt is sent to it. "
            "Throttled per client (setting `INQUIRY_RATE`)."
        ),
        request=InquiryCreateSerializer,
        responses={
            201: InquiryCreatedSerializer,
            400: OpenApiResponse(
                description="Bad input; the body maps each field to its errors, e.g. "
                '`{"email": ["…"]}` when there is neither an e-mail address nor a phone number.'
            ),
            415: OpenApiResponse(description="The body is not JSON."),
            429: OpenApiResponse(description="Too many inquiries from this client; try later."),
        },
    )
    def post(self, request: Request) -> Response:
        incoming = InquiryCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            inquiry = inquiry_submit(
                channel=Channel.WEB,
                description=data["description"],
                service=data.get("service"),
                name=data.get("name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
            )
        except ValidationError as exc:
            return Response(_model_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        body = {
            "reference": inquiry.reference,
            "status": inquiry.status,
            "due_on": inquiry.due_on,
            "service": inquiry.service.slug if inquiry.service else None,
        }
        location = reverse("inquiries-api:detail", kwargs={"reference": inquiry.reference})
        return Response(
            InquiryCreatedSerializer(body).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(location)},
        )


_MODEL_TO_API = {"citizen_email": "email", "citizen_phone": "phone", "citizen_name": "name"}


def _model_errors(exc: ValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    return {_MODEL_TO_API.get(field, field): errors for field, errors in exc.message_dict.items()}


class InquiryDetailView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LookupRateThrottle]

    @extend_schema(
        operation_id="inquiry_status",
        summary="Follow an inquiry",
        description=(
            "The inquiry's status and the steps the citizen can see, in plain words: received, "
            "in progress, answered (with the answer), awaiting the citizen, closed, reopened. "
            "The answer is 404 with the same body whenever the reference and the e-mail address "
            "do not belong together. Failed lookups are counted per client and per reference; "
            "too many give 429."
        ),
        parameters=[
            OpenApiParameter(
                "reference",
                str,
                OpenApiParameter.PATH,
                description="The inquiry's reference, e.g. H-7K3Q-9XJ2.",
            ),
            OpenApiParameter(
                "email",
                str,
                OpenApiParameter.QUERY,
                required=True,
                description="The e-mail address given with the inquiry.",
            ),
        ],
        responses={
            200: InquiryStatusSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def get(self, request: Request, reference: str) -> Response:
        client = client_key(request)
        if tracking_blocked(client=client, reference_text=reference):
            return Response(
                {"detail": _("Too many attempts. Try again in 15 minutes.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        email = request.query_params.get("email", "")
        inquiry = inquiry_for_contact(reference_text=reference, contact=email)
        if inquiry is None or "@" not in email:
            tracking_failure_record(client=client, reference_text=reference)
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(InquiryStatusSerializer(inquiry_status_data(inquiry)).data)
