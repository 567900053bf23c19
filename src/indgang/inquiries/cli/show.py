"""`indgang inquiries show REF [--json]`: one inquiry with its events, messages and outgoing e-mail."""

import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils import timezone

from indgang.inquiries.models import Inquiry
from indgang.inquiries.references import reference_parse

help = (
    "Show one inquiry: status, service, team, deadline, the events and messages of its thread, "
    "and its outgoing e-mail. --json gives the same with stable keys."
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "reference", metavar="REF", help="the inquiry's reference, e.g. H-7K3Q-9XJ2"
    )
    parser.add_argument("--json", action="store_true", help="JSON instead of text")


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


def inquiry_data(inquiry: Inquiry) -> dict:
    """Everything `show` prints, as JSON-serialisable data with stable keys."""
    return {
        "reference": inquiry.reference,
        "status": inquiry.status,
        "channel": inquiry.channel,
        "service": inquiry.service.slug if inquiry.service_id else None,
        "service_title": inquiry.service.title if inquiry.service_id else None,
        "team": inquiry.team.slug if inquiry.team_id else None,
        "team_name": inquiry.team.name if inquiry.team_id else None,
        "assignee": _user(inquiry.assignee),
        "sensitive": inquiry.sensitive,
        "subject": inquiry.subject,
        "received_at": _iso(inquiry.received_at),
        "due_on": _iso(inquiry.due_on),
        "closed_at": _iso(inquiry.closed_at),
        "citizen": {
            "name": inquiry.citizen_name,
            "email": inquiry.citizen_email,
            "phone": inquiry.citizen_phone,
        },
        "events": [
            {
                "at": _iso(event.at),
                "kind": event.kind,
                "from": event.from_value,
                "to": event.to_value,
                "by": _user(event.actor),
                "note": event.note,
                "citizen_visible": event.citizen_visible,
            }
            for event in inquiry.events.select_related("actor")
        ],
        "messages": [
            {
                "at": _iso(message.created_at),
                "kind": message.kind,
                "channel": message.channel,
                "by": _user(message.author),
                "email_message_id": message.email_message_id,
                "body": message.body,
                "attachments": [
                    {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                    for a in message.attachments.all()
                ],
            }
            for message in inquiry.messages.select_related("author").prefetch_related("attachments")
        ],
        "outbound_emails": [
            {
                "to": email.to,
                "subject": email.subject,
                "state": email.state,
                "attempts": email.attempts,
                "created_at": _iso(email.created_at),
                "sent_at": _iso(email.sent_at),
                "failed_at": _iso(email.failed_at),
                "last_error": email.last_error,
            }
            for email in inquiry.outbound_emails.order_by("created_at", "pk")
        ],
    }


def _text(data: dict) -> list[str]:
    citizen = data["citizen"]
    contact = " ".join(
        part
        for part in (
            citizen["name"],
            f"<{citizen['email']}>" if citizen["email"] else "",
            citizen["phone"],
        )
        if part
    )
    lines = [
        f"{data['reference']}  {data['status']}  ({data['channel']})",
        f"Service:   {data['service_title'] or '-'}"
        + (f" ({data['service']})" if data["service"] else ""),
        f"Team:      {data['team_name'] or '-'}",
        f"Assigned:  {data['assignee'] or '-'}",
        f"Received:  {data['received_at']}",
        f"Answer by: {data['due_on'] or '-'}",
    ]
    if data["closed_at"]:
        lines.append(f"Closed:    {data['closed_at']}")
    lines += [f"Citizen:   {contact or '-'}", f"Subject:   {data['subject'] or '-'}", "", "Events:"]
    for event in data["events"]:
        change = " → ".join(v for v in (event["from"], event["to"]) if v)
        by = f" by {event['by']}" if event["by"] else ""
        note = f" ({event['note']})" if event["note"] else ""
        lines.append(f"  {event['at']}  {event['kind']}  {change}{by}{note}".rstrip())
    lines += ["", "Messages:"]
    for message in data["messages"]:
        by = f" by {message['by']}" if message["by"] else ""
        channel = f" ({message['channel']})" if message["channel"] else ""
        lines.append(f"  {message['at']}  {message['kind']}{channel}{by}")
        lines += [f"    {line}" for line in message["body"].splitlines()]
        for attachment in message["attachments"]:
            lines.append(
                f"    [{attachment['filename']}, {attachment['content_type']}, "
                f"{attachment['size']} bytes]"
            )
    if data["outbound_emails"]:
        lines += ["", "Outgoing e-mail:"]
        for email in data["outbound_emails"]:
            lines.append(
                f"  {email['created_at']}  {email['state']}  to {email['to']}: {email['subject']}"
            )
            if email["last_error"]:
                lines.append(
                    f"    last error ({email['attempts']} attempts): {email['last_error']}"
                )
    return lines


def run(command, options) -> None:
    reference = reference_parse(options["reference"])
    if reference is None:
        raise CommandError(f"{options['reference']!r} is not a valid inquiry reference.")
    inquiry = (
        Inquiry.objects.select_related("service", "team", "assignee")
        .filter(reference=reference)
        .first()
    )
    if inquiry is None:
        raise CommandError(f"There is no inquiry {reference}.")
    data = inquiry_data(inquiry)
    if options["json"]:
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        command.stdout.write("\n".join(_text(data)))
