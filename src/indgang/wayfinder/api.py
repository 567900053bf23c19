"""The wayfinder's JSON API: GET /api/v1/wayfinder?q=…"""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.catalogue.models import Service

from .models import QuerySource
from .selectors import wayfinder_search
from .serializers import WayfinderAnswerSerializer, WayfinderParamsSerializer
from .services import wayfinder_query_record


def _handler(service: Service) -> dict | None:
    handler = service.handler
    if handler is None:
        return None
    return {
        "kind": "department" if service.handled_by_municipality else "authority",
        "name": handler.name,
        "phone": handler.phone,
        "phone_hours": handler.phone_hours,
        "email": handler.email,
        "website": handler.website,
    }


class WayfinderView(APIView):
    @extend_schema(
        operation_id="wayfinder_search",
        summary="Find the service for a need",
        description=(
            "The services a need written in everyday words is most likely about, best first. "
            "Each search is logged for staff with personal data (CPR numbers, e-mail addresses, "
            "phone numbers) masked."
        ),
        parameters=[WayfinderParamsSerializer],
        responses={
            200: WayfinderAnswerSerializer,
            400: OpenApiResponse(
                description="`q` is missing, empty or too long, or `limit` is out of range."
            ),
            429: OpenApiResponse(
                description="Too many requests from this client; try again later."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        params = WayfinderParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        q, limit = params.validated_data["q"], params.validated_data["limit"]
        answer = wayfinder_search(query=q, limit=limit)
        wayfinder_query_record(
            query=q, answer=answer, language=get_language(), source=QuerySource.API
        )
        services = Service.objects.select_related("department", "authority").in_bulk(
            [m.service_id for m in answer.matches]
        )
        results = []
        for match in answer.matches:
            service = services.get(match.service_id)
            if service is None or not service.is_published:
                continue
            results.append(
                {
                    "slug": match.slug,
                    "title": match.title,
                    "kle": match.kle,
                    "score": match.score,
                    "url": request.build_absolute_uri(service.get_absolute_url()),
                    "summary": service.summary,
                    "self_service_url": service.self_service_url,
                    "handled_by": _handler(service),
                }
            )
        data = {"query": q, "confident": answer.confident, "results": results}
        return Response(WayfinderAnswerSerializer(data).data)
