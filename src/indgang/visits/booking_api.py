"""The appointment API: GET /api/v1/appointments/slots and POST /api/v1/appointments/.

Help texts are for developers reading the OpenAPI schema (English); messages a client receives
are translated.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from indgang.catalogue.models import Service
from indgang.inquiries.contact import phone_normalise
from indgang.lib.http import client_address
from indgang.places.models import ServicePoint

from .booking import SlotFull
from .booking_manage import SlotUnavailable, appointment_book_slot, free_alternatives, manage_url
from .lifecycle import Need
from .models import Appointment
from .slots import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    booking_window,
    free_slots_for,
    is_bookable,
    takes_no_bookings,
)

MAX_NAME = Appointment._meta.get_field("name").max_length
MAX_NOTE = Appointment._meta.get_field("note").max_length
NO_CONTACT = gettext_lazy("Write your e-mail address or your mobile number.")
BAD_PHONE = gettext_lazy(
    "Write a Danish phone number with 8 digits, or a foreign number starting with +."
)
NOT_BOOKABLE = gettext_lazy("This service cannot be booked at this service point.")
BUS_NOT_BOOKABLE = gettext_lazy(
    "The citizen bus takes no bookings: come by at one of its stops, no appointment needed."
)


def not_bookable_errors(point: ServicePoint) -> dict[str, list[str]]:
    """Why a service cannot be booked at `point`; the citizen bus is said plainly."""
    if takes_no_bookings(point):
        return {"service_point": [str(BUS_NOT_BOOKABLE)]}
    return {"service": [str(NOT_BOOKABLE)]}


class _ClientAddress:
    def get_ident(self, request) -> str:
        return client_address(request)


class AppointmentRateThrottle(_ClientAddress, ScopedRateThrottle):
    """APPOINTMENT_RATE (REST_FRAMEWORK's "appointments" rate) per client address."""


class SlotLookupThrottle(_ClientAddress, AnonRateThrottle):
    pass


def _language() -> str:
    language = (translation.get_language() or "da").split("-")[0]
    return language if language in ("da", "en") else "da"


def _service(slug: str) -> Service | None:
    return Service.objects.published().filter(slug=slug).first()


def _point(slug: str) -> ServicePoint | None:
    return ServicePoint.objects.published().filter(slug=slug).first()


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="Start, ISO 8601 with the local offset.")
    end = serializers.DateTimeField()
    capacity_left = serializers.IntegerField(help_text="Seats still free in this slot.")


def slot_data(slot) -> dict:
    return {
        "start": timezone.localtime(slot.start),
        "end": timezone.localtime(slot.end),
        "capacity_left": slot.free,
    }


class SlotQuerySerializer(serializers.Serializer):
    service = serializers.SlugField(max_length=80)
    service_point = serializers.SlugField(max_length=80)
    date = serializers.DateField(input_formats=["%Y-%m-%d"])

    def validate(self, attrs):
        service, point = _service(attrs["service"]), _point(attrs["service_point"])
        errors = {}
        if service is None:
            errors["service"] = [_("There is no service with this name.")]
        if point is None:
            errors["service_point"] = [_("There is no service point with this name.")]
        if errors:
            raise serializers.ValidationError(errors)
        if not is_bookable(service=service, service_point=point):
            raise serializers.ValidationError(not_bookable_errors(point))
        return attrs | {"service": service, "service_point": point}


class AppointmentCreateSerializer(serializers.Serializer):
    service = serializers.SlugField(max_length=80, help_text="The service's slug, e.g. 'pas'.")
    service_point = serializers.SlugField(max_length=80, help_text="The service point's slug.")
    start = serializers.CharField(
        max_length=40,
        help_text="The slot's start, ISO 8601 with an offset, e.g. 2026-03-30T09:00:00+02:00 "
        "(as returned by the slots endpoint).",
    )
    name = serializers.CharField(max_length=MAX_NAME)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="A Danish mobile number (8 digits) or a foreign one starting with +. At "
        "least one of email and phone is required.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTE, trim_whitespace=True
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices),
        required=False,
        max_length=len(Need.choices),
        help_text="What the citizen needs at the appointment.",
    )

    def validate_start(self, value: str) -> dt.datetime:
        try:
            start = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise serializers.ValidationError(
                _("Write the time as ISO 8601 with an offset, e.g. 2026-03-30T09:00:00+02:00.")
            ) from None
        if start.tzinfo is None or start.utcoffset() is None:
            raise serializers.ValidationError(
                _("Give the time with its offset from UTC, e.g. +02:00.")
            )
        # Year 1 or 9999 overflows when turned into local time; no slot is that far away.
        if not EARLIEST_YEAR <= start.year <= LATEST_YEAR:
            raise serializers.ValidationError(
                _("This is not a bookable time. Choose one from the free slots.")
            )
        return start

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        phone = phone_normalise(value)
        if phone is None:
            raise serializers.ValidationError(str(BAD_PHONE))
        return phone

    def validate_needs(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate(self, attrs: dict) -> dict:
        errors: dict[str, list[str]] = {}
        if not attrs.get("email") and not attrs.get("phone"):
            errors["email"] = [str(NO_CONTACT)]
        service, point = _service(attrs["service"]), _point(attrs["service_point"])
        if service is None:
            errors["service"] = [_("There is no service with this name.")]
        if point is None:
            errors["service_point"] = [_("There is no service point with this name.")]
        if service is not None and point is not None:
            if not is_bookable(service=service, service_point=point):
                errors |= not_bookable_errors(point)
            else:
                first, last = booking_window(service_point=point)
                day = timezone.localtime(attrs["start"]).date()
                if not first <= day <= last:
                    errors["start"] = [
                        _("Book a time from %(first)s to %(last)s.")
                        % {"first": first.isoformat(), "last": last.isoformat()}
                    ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs | {"service": service, "service_point": point}


class AppointmentCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="e.g. T-7K3Q-9XJ2")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    manage_url = serializers.URLField(help_text="Where the citizen can change or cancel.")


class SlotFullSerializer(serializers.Serializer):
    detail = serializers.CharField()
    alternatives = SlotSerializer(many=True, help_text="Other free times nearby.")


class SlotListView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SlotLookupThrottle]

    @extend_schema(
        operation_id="appointment_slots",
        summary="Free appointment times",
        description=(
            "The free slots of a service at a service point on a local date, derived from the "
            "point's opening hours (holidays, exceptions, split shifts), its desks and the "
            "service's length. Empty outside the booking window and on blocked days."
        ),
        parameters=[
            OpenApiParameter("service", str, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("service_point", str, OpenApiParameter.QUERY, required=True),
            OpenApiParameter(
                "date", dt.date, OpenApiParameter.QUERY, required=True, description="YYYY-MM-DD"
            ),
        ],
        responses={
            200: SlotSerializer(many=True),
            400: OpenApiResponse(description="Unknown service or point, or a bad date."),
        },
    )
    def get(self, request: Request) -> Response:
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        slots = free_slots_for(
            service=data["service"], service_point=data["service_point"], day=data["date"]
        )
        return Response(SlotSerializer([slot_data(s) for s in slots], many=True).data)


class AppointmentCreateView(APIView):
    authentication_classes: list = []  # no session, so no CSRF: a plain public JSON endpoint
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [AppointmentRateThrottle]
    throttle_scope = "appointments"

    @extend_schema(
        operation_id="appointment_create",
        summary="Book an appointment",
        description=(
            "Books a free slot (see the slots endpoint). The database never lets a slot be "
            "booked beyond its capacity, also under concurrent requests: the loser gets 409 with "
            "other free times. A confirmation goes to the e-mail address and/or mobile number. "
            "Throttled per client (setting `APPOINTMENT_RATE`)."
        ),
        request=AppointmentCreateSerializer,
        responses={
            201: AppointmentCreatedSerializer,
            400: OpenApiResponse(
                description="Bad input; the body maps each field to its errors, e.g. "
                '`{"start": ["…"]}` when the time is not a bookable slot.'
            ),
            409: SlotFullSerializer,
            415: OpenApiResponse(description="The body is not JSON."),
            429: OpenApiResponse(description="Too many bookings from this client; try later."),
        },
    )
    def post(self, request: Request) -> Response:
        incoming = AppointmentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            appointment = appointment_book_slot(
                service=data["service"],
                service_point=data["service_point"],
                start=data["start"],
                name=data["name"],
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                note=data.get("note", ""),
                needs=data.get("needs", []),
                language=_language(),
            )
        except SlotUnavailable:
            return Response(
                {"start": [_("This is not a bookable time. Choose one from the free slots.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except SlotFull:
            alternatives = free_alternatives(
                service=data["service"], service_point=data["service_point"], near=data["start"]
            )
            body = {
                "detail": _("Someone else has just booked this time. Choose another."),
                "alternatives": [slot_data(s) for s in alternatives],
            }
            return Response(SlotFullSerializer(body).data, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        body = {
            "reference": appointment.reference,
            "start": timezone.localtime(appointment.start),
            "end": timezone.localtime(appointment.end),
            "manage_url": manage_url(appointment),
        }
        return Response(AppointmentCreatedSerializer(body).data, status=status.HTTP_201_CREATED)
