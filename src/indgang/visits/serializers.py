"""The public queue API's requests and responses, as serializers (they make the schema).

Help texts are for developers reading the OpenAPI schema, so they stay in English.
"""

from __future__ import annotations

from rest_framework import serializers


class QueueSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The letter printed before the number, e.g. 'A'.")
    name = serializers.CharField()
    services = serializers.ListField(
        child=serializers.SlugField(), help_text="Slugs of the services this queue serves."
    )


class ServicePointQueuesSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="'town_hall' or 'library': points citizens visit.")
    queues = QueueSerializer(many=True)


class TicketCreateSerializer(serializers.Serializer):
    queue = serializers.CharField(max_length=2, help_text="The queue's letter, e.g. 'A'.")
    service = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="Optional: the slug of the service the errand is about; it must be one the "
        "queue serves.",
    )


class TicketCreatedSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="The number as printed and called, e.g. 'A012'.")
    position = serializers.IntegerField(help_text="1 is next in line.")
    estimated_wait_minutes = serializers.IntegerField()
    url = serializers.URLField(help_text="The citizen's own page with their place in line.")


class TicketErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    opening = serializers.CharField(
        required=False, help_text="When the point opens next, in words (409 only)."
    )
