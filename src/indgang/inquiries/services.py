"""Writes for inquiries. Every change goes through a function here, inside a transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indgang.catalogue.models import Service
from indgang.lib.workdays import add_working_days

from .attachments import CheckedFile, IncomingFile, attachments_check
from .lifecycle import (
    REOPENED_FROM,
    Channel,
    EventKind,
    InvalidTransition,
    MessageKind,
    Status,
    allowed_next,
)
from .models import Attachment, Inquiry, InquiryEvent, InquiryMessage, Team
from .outbox import outbox_enqueue
from .references import reference_generate
from .routing import team_for

# When a service promises no processing time: the municipality's general promise.
DEFAULT_ANSWER_WORKING_DAYS = 10
# Retention when neither the service nor its KLE topic says otherwise: five years after close.
DEFAULT_RETENTION_DAYS = 5 * 365


def answer_due_on(*, received_at: dt.datetime, service: Service | None) -> dt.date:
    days = (service.processing_days if service else None) or DEFAULT_ANSWER_WORKING_DAYS
    return add_working_days(timezone.localdate(received_at), days)


def retention_days_for(service: Service | None) -> int:
    if service is not None:
        if service.retention_days:
            return service.retention_days
        if service.kle_id and service.kle.retention_deletion_days:
            return service.kle.retention_deletion_days
    return DEFAULT_RETENTION_DAYS


def _suggested_service(text: str) -> Service | None:
    from indgang.wayfinder.selectors import wayfinder_search

    answer = wayfinder_search(query=text[:200], limit=1)
    if not answer.confident or answer.best is None:
        return None
    return Service.objects.published().filter(pk=answer.best.service_id).first()


def _event(inquiry: Inquiry, kind: str, *, by=None, at=None, visible=False, **values) -> None:
    InquiryEvent.objects.create(
        inquiry=inquiry,
        kind=kind,
        actor=by,
        at=at or timezone.now(),
        citizen_visible=visible,
        from_value=values.get("from_value", "")[:100],
        to_value=values.get("to_value", "")[:100],
        note=values.get("note", "")[:300],
    )


def _store_attachments(
    inquiry: Inquiry, message: InquiryMessage | None, files: Sequence[CheckedFile]
) -> None:
    for checked in files:
        attachment = Attachment(
            inquiry=inquiry,
            message=message,
            filename=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
        )
        attachment.file.save(checked.sha256, ContentFile(checked.content), save=False)
        attachment.save()


def _receipt(inquiry: Inquiry) -> None:
    if not inquiry.citizen_email:
        return
    with translation.override("da"):
        body = render_to_string(
            "inquiries/email/receipt.txt",
            {
                "inquiry": inquiry,
                "track_url": settings.SITE_URL + reverse("inquiries:track"),
                "municipality_name": settings.MUNICIPALITY_NAME,
            },
        )
        subject = _("We have received your inquiry %(reference)s") % {
            "reference": inquiry.reference
        }
    outbox_enqueue(to=inquiry.citizen_email, subject=subject, body=body, inquiry=inquiry)


def _new_reference_inquiry(inquiry: Inquiry) -> Inquiry:
    # 35 random bits: a collision is rare, but the unique index decides, never a prior read.
    for _attempt in range(5):
        inquiry.reference = reference_generate()
        try:
            with transaction.atomic():
                inquiry.save()
            return inquiry
        except IntegrityError:
            continue
    raise IntegrityError("Could not find a free inquiry reference")


@transaction.atomic
def inquiry_submit(
    *,
    channel: str,
    description: str,
    service: Service | None = None,
    subject: str = "",
    name: str = "",
    email: str = "",
    phone: str = "",
    cpr: str = "",
    user=None,
    received_at: dt.datetime | None = None,
    files: Sequence[IncomingFile] = (),
    email_message_id: str | None = None,
    suggest_service: bool = True,
    registered_by=None,
    resolved_on_first_contact: bool | None = None,
    self_service_possible: bool | None = None,
    self_service_obstacle: str = "",
    send_receipt: bool = True,
    reference: str = "",
) -> Inquiry:
    """Take in an inquiry from any channel: reference, routing, deadline, first message, receipt.

    Without a service the wayfinder reads the text and picks one when it is confident. A contact
    the front office registers as resolved on first contact is closed at once.
    Raises AttachmentRejected (before anything is written) and ValidationError for bad fields.
    `reference`, when given, was issued in advance (the web form's signed token); a second
    inquiry with it raises IntegrityError and nothing is written.
    """
    checked = attachments_check(list(files))
    received_at = received_at or timezone.now()
    text = f"{subject}\n{description}".strip()
    if service is None and suggest_service:
        service = _suggested_service(text)
    inquiry = Inquiry(
        channel=channel,
        service=service,
        subject=subject[:200],
        description=description,
        sensitive=bool(service and service.sensitive),
        citizen_name=name[:200],
        citizen_email=email.strip(),
        citizen_phone=phone.strip()[:40],
        citizen_cpr=cpr,
        citizen_user=user if user is not None and user.is_authenticated else None,
        received_at=received_at,
        due_on=answer_due_on(received_at=received_at, service=service),
        team=team_for(service=service, channel=channel, text=text),
        registered_by=registered_by,
        resolved_on_first_contact=resolved_on_first_contact,
        self_service_possible=self_service_possible,
        self_service_obstacle=self_service_obstacle,
    )
    inquiry.reference = reference or reference_generate()
    inquiry.full_clean(exclude=["reference"])
    if reference:
        # A reference issued with the web form: the unique index refuses a second inquiry from
        # the same form (IntegrityError), so a double submit never makes two.
        inquiry.save()
    else:
        inquiry = _new_reference_inquiry(inquiry)
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=MessageKind.FROM_CITIZEN,
        body=description,
        channel=channel,
        author=registered_by,
        email_message_id=email_message_id,
        created_at=received_at,
    )
    _store_attachments(inquiry, message, checked)
    _event(inquiry, EventKind.STATUS, at=received_at, visible=True, to_value=Status.RECEIVED)
    if inquiry.team_id:
        _event(inquiry, EventKind.TEAM, at=received_at, to_value=inquiry.team.name)
    if resolved_on_first_contact:
        inquiry_set_status(inquiry=inquiry, status=Status.CLOSED, by=registered_by)
    elif send_receipt:
        _receipt(inquiry)
    return inquiry


def _locked(inquiry: Inquiry) -> Inquiry:
    # Lock only the inquiry's row: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("service__kle")
        .get(pk=inquiry.pk)
    )


@transaction.atomic
def inquiry_set_status(*, inquiry: Inquiry, status: str, by=None, note: str = "") -> Inquiry:
    """The only way an inquiry's status changes. Raises InvalidTransition when not allowed."""
    current = _locked(inquiry)
    if status not in allowed_next(current.status):
        raise InvalidTransition(current.status, status)
    now = timezone.now()
    previous = current.status
    current.status = status
    if status == Status.CLOSED:
        current.closed_at = now
        current.delete_after = timezone.localdate(now) + dt.timedelta(
            days=retention_days_for(current.service)
        )
    elif previous in REOPENED_FROM:
        current.closed_at = None
        current.delete_after = None
    current.save(update_fields=["status", "closed_at", "delete_after", "updated_at"])
    _event(
        current,
        EventKind.STATUS,
        by=by,
        at=now,
        visible=True,
        from_value=previous,
        to_value=status,
        note=note,
    )
    inquiry.status, inquiry.closed_at, inquiry.delete_after = (
        current.status,
        current.closed_at,
        current.delete_after,
    )
    return inquiry


@transaction.atomic
def inquiry_assign(*, inquiry: Inquiry, assignee, by) -> Inquiry:
    current = _locked(inquiry)
    before = current.assignee.get_username() if current.assignee_id else ""
    current.assignee = assignee
    current.save(update_fields=["assignee", "updated_at"])
    _event(
        current,
        EventKind.ASSIGNEE,
        by=by,
        from_value=before,
        to_value=assignee.get_username() if assignee else "",
    )
    inquiry.assignee = assignee
    return inquiry


@transaction.atomic
def inquiry_hand_over(*, inquiry: Inquiry, team: Team, by, note: str = "") -> Inquiry:
    """Pass the inquiry to another team (recorded); the assignee is cleared."""
    current = _locked(inquiry)
    before = current.team.name if current.team_id else ""
    current.team, current.assignee = team, None
    current.save(update_fields=["team", "assignee", "updated_at"])
    _event(current, EventKind.TEAM, by=by, from_value=before, to_value=team.name, note=note)
    inquiry.team, inquiry.assignee = team, None
    return inquiry


@transaction.atomic
def inquiry_note_add(*, inquiry: Inquiry, body: str, by) -> InquiryMessage:
    """An internal note: staff only, never shown or sent to the citizen."""
    note = InquiryMessage(
        inquiry=inquiry,
        kind=MessageKind.INTERNAL_NOTE,
        body=body,
        author=by,
        created_at=timezone.now(),
    )
    note.full_clean()
    note.save()
    _event(inquiry, EventKind.NOTE, by=by)
    return note


@transaction.atomic
def inquiry_reply(
    *, inquiry: Inquiry, body: str, by, status: str = Status.ANSWERED
) -> InquiryMessage:
    """Answer the citizen: the message joins the thread, goes out by e-mail through the outbox
    (when there is an address), and the inquiry moves to `status` (answered, or awaiting the
    citizen when the answer is a question)."""
    reply = InquiryMessage(
        inquiry=inquiry,
        kind=MessageKind.TO_CITIZEN,
        body=body,
        author=by,
        channel=Channel.EMAIL if inquiry.citizen_email else "",
        created_at=timezone.now(),
    )
    reply.full_clean()
    reply.save()
    _event(inquiry, EventKind.REPLY, by=by, visible=True)
    if inquiry.citizen_email:
        with translation.override("da"):
            subject = _("Answer to your inquiry %(reference)s") % {"reference": inquiry.reference}
            text = render_to_string("inquiries/email/reply.txt", {"inquiry": inquiry, "body": body})
        outbox_enqueue(to=inquiry.citizen_email, subject=subject, body=text, inquiry=inquiry)
    if status != inquiry.status:
        inquiry_set_status(inquiry=inquiry, status=status, by=by)
    return reply


@transaction.atomic
def inquiry_citizen_message_add(
    *,
    inquiry: Inquiry,
    body: str,
    channel: str = Channel.EMAIL,
    email_message_id: str | None = None,
    files: Sequence[IncomingFile] = (),
    received_at: dt.datetime | None = None,
) -> InquiryMessage:
    """The citizen writes again in the same thread; an answered or waiting inquiry goes back to
    work (a closed one is reopened)."""
    checked = attachments_check(list(files))
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        kind=MessageKind.FROM_CITIZEN,
        body=body,
        channel=channel,
        email_message_id=email_message_id,
        created_at=received_at or timezone.now(),
    )
    _store_attachments(inquiry, message, checked)
    _event(inquiry, EventKind.CITIZEN_MESSAGE, visible=True)
    current = _locked(inquiry)
    if current.status in (Status.AWAITING_CITIZEN, Status.ANSWERED, Status.CLOSED):
        inquiry_set_status(inquiry=inquiry, status=Status.IN_PROGRESS, note=_("The citizen wrote"))
    return message


def guidance_answer_for(service: Service) -> str:
    """A ready answer for services other authorities handle: who, and how to reach them."""
    return render_to_string("inquiries/email/guidance.txt", {"service": service})
