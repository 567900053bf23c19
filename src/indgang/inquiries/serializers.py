"""The public inquiry API's requests and responses, as serializers (they make the schema).

Help texts are for developers reading the OpenAPI schema, so they stay in English; messages that
reach a client (validation errors) are translated.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.catalogue.models import Service

from .contact import phone_normalise
from .lifecycle import Status
from .models import Inquiry

MAX_DESCRIPTION = Inquiry._meta.get_field("description").max_length
MAX_NAME = Inquiry._meta.get_field("citizen_name").max_length

NO_CONTACT = _("Write your e-mail address or your phone number, so we can answer you.")
BAD_PHONE = _("Write a Danish phone number with 8 digits, or a foreign number starting with +.")
UNKNOWN_SERVICE = _("There is no service with this name. Leave it out and we will find it.")


class InquiryCreateSerializer(serializers.Serializer):
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION,
        help_text="What the citizen needs, in their own words.",
    )
    service = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="The slug of the service it is about, e.g. 'pas'. Left out: the wayfinder "
        "reads the description and chooses one when it is confident.",
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NAME)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Where the answer and the receipt go.",
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="A Danish number (8 digits, +45 optional) or a foreign one starting with +. "
        "At least one of email and phone is required.",
    )

    def validate_service(self, value: str) -> Service | None:
        if not value:
            return None
        service = Service.objects.published().filter(slug=value).first()
        if service is None:
            raise serializers.ValidationError(UNKNOWN_SERVICE)
        return service

    def validate_description(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Write what your inquiry is about."))
        return value.strip()

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        phone = phone_normalise(value)
        if phone is None:
            raise serializers.ValidationError(BAD_PHONE)
        return phone

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError({"email": [NO_CONTACT]})
        return attrs


class InquiryCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField(
        help_text="Short, readable aloud, with a check character, e.g. H-7K3Q-9XJ2."
    )
    status = serializers.ChoiceField(choices=Status.choices)
    due_on = serializers.DateField(help_text="The answer is promised by this day.")
    service = serializers.SlugField(
        allow_null=True, help_text="The service it was filed under; null when none fitted."
    )


class InquiryLookupParamsSerializer(serializers.Serializer):
    email = serializers.CharField(
        required=False,
        help_text="The e-mail address given with the inquiry. Without a match the answer is 404.",
    )


class TimelineStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=[
            "received",
            "in_progress",
            "reopened",
            "awaiting_citizen",
            "answered",
            "closed",
            "reply",
            "citizen_message",
        ]
    )
    text = serializers.CharField(help_text="The step in plain words, in the request's language.")
    message = serializers.CharField(
        allow_blank=True, help_text="For 'reply': the answer's text; otherwise empty."
    )


class InquiryStatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_text = serializers.CharField(help_text="The status in plain words.")
    service = serializers.SlugField(allow_null=True)
    received_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    timeline = TimelineStepSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
