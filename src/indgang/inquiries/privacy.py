"""Privacy jobs for inquiries: deletion under the retention rules, and the citizen's access export.

Retention. A closed inquiry carries the date after which it must go (`delete_after`, set by
`inquiry_set_status` from the service, the service's KLE topic or the five-year default).
`inquiries_purge_expired` deletes each expired inquiry in its own transaction, with everything
hanging off it (messages, events, attachments, one-time tracking codes, outbox rows), writes one
`DeletionLogEntry` per inquiry (reference, service, closed date, why: never personal data) and
removes the attachment files from disk once the deletion has committed. Two runs at the same time
do not step on each other: on PostgreSQL each run skips rows another run holds locked; elsewhere a
row is claimed with an UPDATE and deleted by primary key, and only the run whose DELETE removed it
writes the log line. The access log is kept: it names inquiries by reference only.

Access requests. `citizen_data_export` collects everything held about a citizen, found by the
e-mail address (any case) or the CPR number (with or without the dash) given with an inquiry, as
a JSON-serialisable dict. Internal notes about the citizen's inquiries are included, in their own
clearly labelled list: under the GDPR they are personal data about the citizen too. Before the
export goes out, a case handler decides whether an exemption (databeskyttelsesloven § 22) allows
holding back any of them; the export itself leaves nothing out silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .lifecycle import MessageKind, Status
from .models import (
    AccessLogEntry,
    Attachment,
    DeletionLogEntry,
    Inquiry,
    InquiryEvent,
    InquiryMessage,
    OutboundEmail,
    TrackingAttempt,
    TrackingCode,
)
from .services import DEFAULT_RETENTION_DAYS

logger = logging.getLogger(__name__)

# Tracking-page lookups are kept only as long as the throttle needs them.
TRACKING_ATTEMPT_MAX_AGE = dt.timedelta(days=1)
EXPORT_FORMAT = "indgang-citizen-export/1"


@dataclasses.dataclass
class PurgeReport:
    """What a purge deleted (or, in a dry run, would delete)."""

    inquiries: int = 0
    messages: int = 0
    events: int = 0
    attachments: int = 0
    tracking_codes: int = 0
    outbound_emails: int = 0
    tracking_attempts: int = 0
    references: list[str] = dataclasses.field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, int]:
        return {
            "inquiries": self.inquiries,
            "messages": self.messages,
            "events": self.events,
            "attachments": self.attachments,
            "tracking_codes": self.tracking_codes,
            "outbound_emails": self.outbound_emails,
            "tracking_attempts": self.tracking_attempts,
        }


def _expired(today: dt.date):
    # Only closed inquiries: reopening clears delete_after, and an open case is never deleted.
    return Inquiry.objects.filter(delete_after__lt=today, status=Status.CLOSED)


def retention_reason(inquiry: Inquiry) -> str:
    """Why the inquiry goes, in words free of personal data: the period and where it came from."""
    service = inquiry.service
    closed_on = timezone.localdate(inquiry.closed_at) if inquiry.closed_at else None
    if closed_on is None or inquiry.delete_after is None:
        return f"retention: deletion date {inquiry.delete_after} passed"
    days = (inquiry.delete_after - closed_on).days
    if service is not None and service.retention_days == days:
        source = f"service {service.slug}"
    elif service is not None and service.kle_id and service.kle.retention_deletion_days == days:
        source = f"KLE {service.kle.number}"
    elif days == DEFAULT_RETENTION_DAYS:
        source = "default"
    else:
        source = "as set when closed"
    return f"retention: {days} days after close ({source})"


def _claim(pk: int, today: dt.date) -> Inquiry | None:
    """Take the expired inquiry for this run, or None when it is gone or another run has it."""
    rows = _expired(today).filter(pk=pk)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    elif not rows.update(delete_after=F("delete_after")):
        # No row locks (SQLite): the no-op UPDATE takes the database's write lock first.
        return None
    return rows.select_related("service__kle").first()


def _delete_files(names: list[str]) -> None:
    for name in names:
        # The same stored file may serve another attachment: keep it while anything points at it.
        if Attachment.objects.filter(file=name).exists():
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete an expired attachment file %s", name)


def _purge_one(pk: int, today: dt.date, report: PurgeReport) -> None:
    with transaction.atomic():
        inquiry = _claim(pk, today)
        if inquiry is None:
            return
        files = [name for name in inquiry.attachments.values_list("file", flat=True) if name]
        reason = retention_reason(inquiry)
        service_slug = inquiry.service.slug if inquiry.service_id else ""
        closed_on = timezone.localdate(inquiry.closed_at) if inquiry.closed_at else None
        _total, deleted = Inquiry.objects.filter(pk=pk).delete()
        if deleted.get(Inquiry._meta.label, 0) != 1:
            return
        DeletionLogEntry.objects.create(
            inquiry_reference=inquiry.reference,
            service_slug=service_slug,
            closed_on=closed_on,
            reason=reason[:300],
        )
        transaction.on_commit(lambda: _delete_files(files))
    report.inquiries += 1
    report.messages += deleted.get(InquiryMessage._meta.label, 0)
    report.events += deleted.get(InquiryEvent._meta.label, 0)
    report.attachments += deleted.get(Attachment._meta.label, 0)
    report.tracking_codes += deleted.get(TrackingCode._meta.label, 0)
    report.outbound_emails += deleted.get(OutboundEmail._meta.label, 0)
    report.references.append(inquiry.reference)


def _count_expired(today: dt.date, attempts_before: dt.datetime) -> PurgeReport:
    expired = _expired(today)
    return PurgeReport(
        inquiries=expired.count(),
        messages=InquiryMessage.objects.filter(inquiry__in=expired).count(),
        events=InquiryEvent.objects.filter(inquiry__in=expired).count(),
        attachments=Attachment.objects.filter(inquiry__in=expired).count(),
        tracking_codes=TrackingCode.objects.filter(inquiry__in=expired).count(),
        outbound_emails=OutboundEmail.objects.filter(inquiry__in=expired).count(),
        tracking_attempts=TrackingAttempt.objects.filter(at__lt=attempts_before).count(),
        references=list(expired.order_by("pk").values_list("reference", flat=True)),
        dry_run=True,
    )


def inquiries_purge_expired(*, today: dt.date | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete every closed inquiry whose `delete_after` lies before `today`, with all it holds,
    and tracking-page lookups older than a day. Safe to run again and to run twice at once.

    With `dry_run` nothing changes: the report counts what a real run would delete.
    """
    today = today or timezone.localdate()
    attempts_before = timezone.now() - TRACKING_ATTEMPT_MAX_AGE
    if dry_run:
        return _count_expired(today, attempts_before)
    report = PurgeReport()
    for pk in _expired(today).order_by("pk").values_list("pk", flat=True):
        _purge_one(pk, today, report)
    report.tracking_attempts, _ = TrackingAttempt.objects.filter(at__lt=attempts_before).delete()
    if report.inquiries:
        logger.info("Retention: deleted %d expired inquiries", report.inquiries)
    return report


# Access requests --------------------------------------------------------------------------------


def cpr_normalise(cpr: str) -> str:
    """The ten digits of a CPR number written with or without the dash (or a space)."""
    digits = re.sub(r"[\s-]", "", cpr or "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(_("A CPR number has ten digits, e.g. 010190-1234."))
    return digits


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _staff_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _attachment_data(attachment: Attachment) -> dict:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "received_at": _iso(attachment.created_at),
    }


def _message_data(message: InquiryMessage) -> dict:
    return {
        "kind": message.kind,
        "kind_label": str(message.get_kind_display()),
        "written_at": _iso(message.created_at),
        "channel": message.channel,
        "text": message.body,
        "attachments": [_attachment_data(a) for a in message.attachments.all()],
    }


def _note_data(note: InquiryMessage) -> dict:
    return {
        "label": _("Internal note (staff only, not sent to you)"),
        "written_at": _iso(note.created_at),
        "written_by": _staff_name(note.author),
        "text": note.body,
    }


def _event_data(event: InquiryEvent) -> dict:
    return {
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "at": _iso(event.at),
        "from": event.from_value,
        "to": event.to_value,
        "note": event.note,
    }


def _contact(inquiry: Inquiry) -> dict:
    return {
        "name": inquiry.citizen_name,
        "email": inquiry.citizen_email,
        "phone": inquiry.citizen_phone,
        "cpr": inquiry.citizen_cpr,
    }


def _inquiry_data(inquiry: Inquiry, readers: list[dict]) -> dict:
    messages = list(inquiry.messages.all())
    events = [e for e in inquiry.events.all() if e.citizen_visible]
    return {
        "reference": inquiry.reference,
        "channel": inquiry.channel,
        "channel_label": str(inquiry.get_channel_display()),
        "service": (
            {"slug": inquiry.service.slug, "title": inquiry.service.title}
            if inquiry.service_id
            else None
        ),
        "status": inquiry.status,
        "status_label": str(inquiry.get_status_display()),
        "subject": inquiry.subject,
        "description": inquiry.description,
        "received_at": _iso(inquiry.received_at),
        "answer_promised_by": _iso(inquiry.due_on),
        "closed_at": _iso(inquiry.closed_at),
        "delete_after": _iso(inquiry.delete_after),
        "contact": _contact(inquiry),
        "messages": [
            _message_data(m)
            for m in messages
            if m.kind in (MessageKind.FROM_CITIZEN, MessageKind.TO_CITIZEN)
        ],
        "internal_notes": [_note_data(m) for m in messages if m.kind == MessageKind.INTERNAL_NOTE],
        "attachments": [_attachment_data(a) for a in inquiry.attachments.all()],
        "timeline": [_event_data(e) for e in events],
        "emails_sent": [
            {
                "to": email.to,
                "subject": email.subject,
                "created_at": _iso(email.created_at),
                "sent_at": _iso(email.sent_at),
                "state": email.state,
            }
            for email in inquiry.outbound_emails.order_by("created_at", "pk")
        ],
        "read_by_staff": readers,
    }


def citizen_inquiries(*, email: str | None = None, cpr: str | None = None):
    """The inquiries given with this e-mail address (any case) or this CPR number."""
    if bool(email) == bool(cpr):
        raise ValueError("Give exactly one of email or cpr")
    if email:
        match = Q(citizen_email__iexact=email.strip())
    else:
        match = Q(citizen_cpr=cpr_normalise(cpr))
    return Inquiry.objects.filter(match).select_related("service").order_by("received_at", "pk")


def citizen_data_export(*, email: str | None = None, cpr: str | None = None) -> dict:
    """Everything held about the citizen with this e-mail address or CPR number, for an access
    request (GDPR art. 15): their inquiries with messages, attachments (name, type, size), the
    citizen-visible timeline, internal notes (labelled), e-mails sent to them, the contact data
    they gave, who among staff read each inquiry and when, and how searches are stored.

    JSON-serialisable; keys are stable and dates are ISO 8601. Raises ValueError for a malformed
    CPR number or when neither or both of email and cpr are given.
    """
    inquiries = list(
        citizen_inquiries(email=email, cpr=cpr).prefetch_related(
            "messages__attachments",
            "messages__author",
            "events",
            "attachments",
        )
    )
    references = [inquiry.reference for inquiry in inquiries]
    readers: dict[str, list[dict]] = {reference: [] for reference in references}
    access_log = []
    entries = (
        AccessLogEntry.objects.filter(inquiry_reference__in=references)
        .select_related("user")
        .order_by("at", "pk")
    )
    for entry in entries:
        row = {
            "inquiry": entry.inquiry_reference,
            "who": _staff_name(entry.user),
            "what": entry.action,
            "at": _iso(entry.at),
        }
        readers[entry.inquiry_reference].append(row)
        access_log.append(row)

    contact_data: list[dict] = []
    for inquiry in inquiries:
        given = _contact(inquiry)
        if given not in contact_data:
            contact_data.append(given)

    logger.info(
        "Access request export by %s: %d inquiries",
        "e-mail" if email else "CPR number",
        len(inquiries),
    )
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(timezone.now()),
        "controller": settings.MUNICIPALITY_NAME,
        "matched_on": "email" if email else "cpr",
        "contact_data": contact_data,
        "inquiries": [_inquiry_data(inquiry, readers[inquiry.reference]) for inquiry in inquiries],
        "access_log": access_log,
        "searches": _(
            "Searches in the wayfinder are stored only with CPR numbers, e-mail addresses and "
            "phone numbers masked out, and without anything that identifies you, so they cannot "
            "be found for or handed out to you."
        ),
        "notes": [
            _(
                "Internal notes are the staff's notes about your inquiry; they are never sent to "
                "you otherwise and are listed separately."
            ),
            _(
                "Attachments are listed by name, type and size; ask us for copies of the files "
                "themselves."
            ),
            _(
                "Inquiries are deleted when their retention period after closing has passed; "
                "the date is given as delete_after."
            ),
        ],
    }
