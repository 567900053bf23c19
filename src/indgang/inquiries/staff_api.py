"""The staff API under /api/v1/staff/: the inbox, one inquiry, and status changes.

Token authentication only (`Authorization: Token …`, tokens are made in the admin); the access
rules are the inbox's (selectors.inquiry_access). Reading one inquiry is written to the access
log. Free text in lists is masked (no CPR numbers); the CPR number is never sent by the API.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.lib.masking import mask_personal_data

from .access_log import AccessAction, access_log_write
from .lifecycle import Channel, InvalidTransition, Status, allowed_next
from .models import Inquiry
from .selectors import (
    STATUS_ALL,
    STATUS_OPEN,
    Access,
    AssignedFilter,
    DueFilter,
    InboxFilters,
    Sort,
    inquiry_get_for,
    inquiry_list_for,
    inquiry_thread,
    is_active_staff,
)
from .services import inquiry_set_status

PAGE_SIZE = 50
EXCERPT_CHARS = 200


class IsActiveStaff(BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_active_staff(request.user)


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _excerpt(text: str) -> str:
    text = " ".join(mask_personal_data(text).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


# Serializers (they make the schema)


class StaffInquiryParamsSerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, help_text="Only this team (one of yours).")
    # A plain string, not an enum: the statuses plus two words would clash in the schema with
    # the Status enum of the responses.
    status = serializers.CharField(
        default=STATUS_OPEN,
        help_text=(
            "A status (received, in_progress, awaiting_citizen, answered, closed), 'open' "
            "(received, in progress or awaiting the citizen; the default) or 'all'."
        ),
    )
    channel = serializers.ChoiceField(choices=Channel.values, required=False)
    due = serializers.ChoiceField(
        choices=[d.value for d in DueFilter],
        required=False,
        help_text="Open inquiries past their answer date, due today, or within a week.",
    )
    assigned = serializers.ChoiceField(choices=[a.value for a in AssignedFilter], required=False)
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Reference, subject, text, citizen's name or e-mail.",
    )
    sort = serializers.ChoiceField(choices=[s.value for s in Sort], default=Sort.DUE)
    page = serializers.IntegerField(required=False, min_value=1, default=1)

    def validate_status(self, value: str) -> str:
        if value not in (STATUS_OPEN, STATUS_ALL, *Status.values):
            raise serializers.ValidationError(_("Not a status."))
        return value


class StaffTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffInquiryListItemSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    channel = serializers.ChoiceField(choices=Channel.values)
    team = StaffTeamSerializer(allow_null=True)
    service = serializers.SlugField(allow_null=True, help_text="The service's slug.")
    subject = serializers.CharField(allow_blank=True, help_text="Personal data masked.")
    excerpt = serializers.CharField(help_text="The start of the text, personal data masked.")
    received_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    assignee = serializers.CharField(allow_blank=True)


class StaffInquiryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = StaffInquiryListItemSerializer(many=True)


class StaffMessageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["from_citizen", "to_citizen", "internal_note"])
    body = serializers.CharField()
    author = serializers.CharField(allow_blank=True)
    channel = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    attachments = serializers.ListField(child=serializers.CharField(), help_text="File names.")


class StaffEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    by = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField()
    from_value = serializers.CharField(allow_blank=True)
    to_value = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class StaffEmailSerializer(serializers.Serializer):
    subject = serializers.CharField()
    state = serializers.ChoiceField(choices=["sent", "failed", "retrying", "queued"])
    attempts = serializers.IntegerField()
    last_error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)


class StaffCitizenSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class StaffInquiryDetailSerializer(serializers.Serializer):
    access = serializers.ChoiceField(choices=["full"])
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    allowed_next = serializers.ListField(
        child=serializers.CharField(), help_text="The statuses the inquiry may change to now."
    )
    channel = serializers.ChoiceField(choices=Channel.values)
    team = StaffTeamSerializer(allow_null=True)
    service = serializers.SlugField(allow_null=True)
    sensitive = serializers.BooleanField()
    subject = serializers.CharField(allow_blank=True)
    description = serializers.CharField()
    citizen = StaffCitizenSerializer()
    received_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    assignee = serializers.CharField(allow_blank=True)
    messages = StaffMessageSerializer(many=True)
    events = StaffEventSerializer(many=True)
    emails = StaffEmailSerializer(many=True)


class StaffInquiryExistenceSerializer(serializers.Serializer):
    access = serializers.ChoiceField(choices=["existence"])
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    team = StaffTeamSerializer(allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class StaffStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class StaffStatusResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


def _team(inquiry: Inquiry) -> dict | None:
    return {"id": inquiry.team.pk, "name": inquiry.team.name} if inquiry.team_id else None


def _list_item(inquiry: Inquiry, today) -> dict:
    return {
        "reference": inquiry.reference,
        "status": inquiry.status,
        "channel": inquiry.channel,
        "team": _team(inquiry),
        "service": inquiry.service.slug if inquiry.service_id else None,
        "subject": _excerpt(inquiry.subject),
        "excerpt": _excerpt(inquiry.description),
        "received_at": inquiry.received_at,
        "due_on": inquiry.due_on,
        "overdue": inquiry.is_overdue(today),
        "assignee": _name(inquiry.assignee),
    }


def _detail(inquiry: Inquiry) -> dict:
    thread = inquiry_thread(inquiry=inquiry)
    return {
        **_list_item(inquiry, timezone.localdate()),
        "access": "full",
        "allowed_next": sorted(allowed_next(inquiry.status)),
        "sensitive": inquiry.sensitive,
        "subject": inquiry.subject,
        "description": inquiry.description,
        "citizen": {
            "name": inquiry.citizen_name,
            "email": inquiry.citizen_email,
            "phone": inquiry.citizen_phone,
        },
        "messages": [
            {
                "kind": m.kind,
                "body": m.body,
                "author": _name(m.author),
                "channel": m.channel,
                "created_at": m.created_at,
                "attachments": [a.filename for a in m.attachments.all()],
            }
            for m in thread["messages"]
        ],
        "events": [
            {
                "kind": e.kind,
                "by": _name(e.actor),
                "at": e.at,
                "from_value": e.from_value,
                "to_value": e.to_value,
                "note": e.note,
            }
            for e in thread["events"]
        ],
        "emails": [
            {
                "subject": e.subject,
                "state": e.state,
                "attempts": e.attempts,
                "last_error": e.last_error,
                "created_at": e.created_at,
                "sent_at": e.sent_at,
            }
            for e in thread["emails"]
        ],
    }


class StaffAPIView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsActiveStaff]


UNAUTHORISED = {
    401: OpenApiResponse(description="No valid token."),
    403: OpenApiResponse(description="The token's user is not active staff."),
}


class StaffInquiryListView(StaffAPIView):
    @extend_schema(
        operation_id="staff_inquiry_list",
        summary="The inquiries of your teams",
        description=(
            "The inquiries the token's user handles (their teams' inquiries), with the staff "
            "inbox's filters, 50 per page. Free text has personal data masked."
        ),
        parameters=[StaffInquiryParamsSerializer],
        responses={
            200: StaffInquiryPageSerializer,
            400: OpenApiResponse(description="A filter value is not valid."),
            **UNAUTHORISED,
        },
    )
    def get(self, request: Request) -> Response:
        params = StaffInquiryParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = InboxFilters(
            team=data.get("team"),
            status=data["status"],
            channel=data.get("channel", ""),
            due=data.get("due", ""),
            assigned=data.get("assigned", ""),
            q=data.get("q", "").strip(),
            sort=data["sort"],
        )
        paginator = Paginator(inquiry_list_for(user=request.user, filters=filters), PAGE_SIZE)
        page = paginator.get_page(data["page"])
        today = timezone.localdate()
        body = {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [_list_item(inquiry, today) for inquiry in page.object_list],
        }
        return Response(StaffInquiryPageSerializer(body).data)


class StaffInquiryDetailView(StaffAPIView):
    @extend_schema(
        operation_id="staff_inquiry_detail",
        summary="One inquiry",
        description=(
            "The whole inquiry for members of the handling team (the reading is written to the "
            "access log). A front-office clerk asking about another team's inquiry gets only "
            "its status, team and answer date. Anyone else: 404."
        ),
        responses={
            200: PolymorphicProxySerializer(
                component_name="StaffInquiry",
                serializers=[StaffInquiryDetailSerializer, StaffInquiryExistenceSerializer],
                resource_type_field_name="access",
            ),
            404: OpenApiResponse(description="No such inquiry, or not one you may see."),
            **UNAUTHORISED,
        },
    )
    def get(self, request: Request, reference: str) -> Response:
        inquiry, access = inquiry_get_for(user=request.user, reference=reference)
        if inquiry is None:
            raise Http404
        if access is Access.EXISTENCE:
            access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.LOOKUP)
            body = {
                "access": "existence",
                "reference": inquiry.reference,
                "status": inquiry.status,
                "team": _team(inquiry),
                "due_on": inquiry.due_on,
            }
            return Response(StaffInquiryExistenceSerializer(body).data)
        access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.API_VIEW)
        return Response(StaffInquiryDetailSerializer(_detail(inquiry)).data)


class StaffInquiryStatusView(StaffAPIView):
    @extend_schema(
        operation_id="staff_inquiry_status",
        summary="Change an inquiry's status",
        description=(
            "Only the handling team, and only to a status the lifecycle allows from the current "
            "one (see `allowed_next` in the inquiry). The change is recorded with who and when."
        ),
        request=StaffStatusChangeSerializer,
        responses={
            200: StaffStatusResultSerializer,
            400: OpenApiResponse(description="Not a status, or a change the lifecycle forbids."),
            404: OpenApiResponse(description="No such inquiry, or not one you handle."),
            **UNAUTHORISED,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        inquiry, access = inquiry_get_for(user=request.user, reference=reference)
        if inquiry is None or access is not Access.FULL:
            raise Http404
        change = StaffStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        status = change.validated_data["status"]
        try:
            inquiry_set_status(
                inquiry=inquiry, status=status, by=request.user, note=change.validated_data["note"]
            )
        except InvalidTransition:
            raise serializers.ValidationError(
                {
                    "status": [
                        _("An inquiry cannot go from “%(current)s” to “%(wanted)s”.")
                        % {"current": inquiry.status, "wanted": status}
                    ]
                }
            ) from None
        return Response(
            StaffStatusResultSerializer({"reference": inquiry.reference, "status": status}).data
        )
