"""The public queue API: GET /api/v1/service-points/ and POST .../<slug>/tickets/."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from indgang.catalogue.models import Service
from indgang.lib.http import client_address
from indgang.places.models import ServicePoint
from indgang.places.models.points import PHYSICAL_KINDS

from .citizen import (
    ChoiceError,
    choose,
    point_opening,
    point_queues,
    queue_point_get,
    take_number,
    ticket_page_url,
)
from .lifecycle import TicketSource
from .models import Queue
from .serializers import (
    ServicePointQueuesSerializer,
    TicketCreatedSerializer,
    TicketCreateSerializer,
    TicketErrorSerializer,
)
from .waiting import ticket_wait


class TicketRateThrottle(ScopedRateThrottle):
    """TICKET_RATE (REST_FRAMEWORK's "tickets" rate) per client address (see lib.http)."""

    def get_ident(self, request) -> str:
        return client_address(request)


class ServicePointListView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="service_point_queues",
        summary="Service points and their queues",
        description=(
            "Every published service point citizens visit in person, with its active queues: "
            "the letter, the name and the services (slugs) each queue serves."
        ),
        responses={200: ServicePointQueuesSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        queues = Queue.objects.filter(active=True).prefetch_related(
            Prefetch("services", queryset=Service.objects.published().order_by("slug"))
        )
        points = (
            ServicePoint.objects.published()
            .filter(kind__in=PHYSICAL_KINDS)
            .prefetch_related(Prefetch("queues", queryset=queues))
        )
        data = [
            {
                "slug": p.slug,
                "name": p.name,
                "kind": p.kind,
                "queues": [
                    {"code": q.code, "name": q.name, "services": [s.slug for s in q.services.all()]}
                    for q in p.queues.all()
                ],
            }
            for p in points
        ]
        return Response(ServicePointQueuesSerializer(data, many=True).data)


class TicketCreateView(APIView):
    authentication_classes: list = []  # no session, so no CSRF: a plain public JSON endpoint
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [TicketRateThrottle]
    throttle_scope = "tickets"

    @extend_schema(
        operation_id="ticket_create",
        summary="Take a queue number",
        description=(
            "Takes a number in one of the point's queues, as the kiosk and the web page do. "
            "The answer has the number, the place in line, the estimated wait and the "
            "citizen's own page (which follows the place in line). Numbers are only given "
            "while the point is open: when it is closed the answer is 409 with when it opens. "
            "Throttled per client (setting `TICKET_RATE`)."
        ),
        parameters=[
            OpenApiParameter(
                "slug", str, OpenApiParameter.PATH, description="The service point's slug."
            )
        ],
        request=TicketCreateSerializer,
        responses={
            201: TicketCreatedSerializer,
            400: OpenApiResponse(
                description="Bad input; the body maps each field to its errors, e.g. "
                '`{"queue": ["…"]}` for a letter the point has no queue for.'
            ),
            404: TicketErrorSerializer,
            409: TicketErrorSerializer,
            415: OpenApiResponse(description="The body is not JSON."),
            429: OpenApiResponse(description="Too many numbers from this client; try later."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        try:
            point = queue_point_get(slug=slug)
        except Http404:
            return Response(
                {"detail": _("There is no queue at this service point.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        incoming = TicketCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        queues = point_queues(point)
        try:
            queue, _service = choose(queues, code=data["queue"])
        except ChoiceError:
            return Response(
                {"queue": [_("This service point has no queue with this letter.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        service = None
        if data.get("service"):
            try:
                queue, service = choose(queues, code=data["queue"], service_slug=data["service"])
            except ChoiceError:
                return Response(
                    {"service": [_("This queue does not serve this service.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        opening = point_opening(point)
        if not opening.is_open:
            return Response(
                {"detail": _("The service point is closed now."), "opening": opening.text},
                status=status.HTTP_409_CONFLICT,
            )
        ticket = take_number(
            queue=queue, service=service, source=TicketSource.WEB, language=get_language() or ""
        )
        wait = ticket_wait(ticket=ticket)
        url = request.build_absolute_uri(ticket_page_url(ticket))
        body = {
            "number": ticket.display,
            "position": wait.position,
            "estimated_wait_minutes": wait.minutes,
            "url": url,
        }
        return Response(
            TicketCreatedSerializer(body).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": url},
        )
