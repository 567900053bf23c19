"""The wayfinder API's request parameters and response, as serializers (they make the schema).

Help texts are for the developers who read the OpenAPI schema, so they stay in English; messages
that reach a client (validation errors) are translated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.catalogue.selectors import MAX_QUERY_LENGTH, normalise_query

from .selectors import DEFAULT_LIMIT

MAX_LIMIT = 20


class WayfinderParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text="The need in the citizen's own words, e.g. 'nyt pas' or 'I am moving'.",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text="At most this many services, best first.",
    )

    def validate_q(self, value: str) -> str:
        q = normalise_query(value)
        if not q:
            raise serializers.ValidationError(_("Write what you are looking for."))
        return q


class HandlerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("department", "department"), ("authority", "other authority")],
        help_text="A department of the municipality, or another authority.",
    )
    name = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    phone_hours = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)


class WayfinderResultSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    kle = serializers.CharField(allow_blank=True, help_text="KLE topic number, e.g. 23.09.02.")
    score = serializers.FloatField()
    url = serializers.URLField(help_text="The service's page for citizens.")
    summary = serializers.CharField()
    self_service_url = serializers.CharField(allow_blank=True)
    handled_by = HandlerSerializer(allow_null=True)


class WayfinderAnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    confident = serializers.BooleanField(
        help_text="False when nothing fits well enough to say 'this is it': show the results as "
        "suggestions and offer a person to talk to."
    )
    results = WayfinderResultSerializer(many=True)
