"""Take in one e-mail (RFC 822 bytes) as an inquiry, or as a new message in an existing one.

The rules, in order:

1. A Message-ID already taken in is skipped as a duplicate (so fetching a mailbox twice, or two
   workers fetching it at once, is harmless). A message without a Message-ID gets a stable one
   made from a hash of its bytes.
2. Automatic mail is skipped with the reason: auto-replies and bounces (Auto-Submitted other than
   "no", Precedence bulk/junk/auto_reply, X-Autoreply, MAILER-DAEMON or postmaster, a null
   Return-Path, a delivery report) and mail Indgang sent itself. Answering those would start a
   receipt loop.
3. The message joins an existing inquiry when In-Reply-To/References name one of our outgoing
   e-mails (or an earlier e-mail in the thread), or the subject or body carries a valid reference,
   but only when the sender is the citizen who wrote the inquiry (the address compared without
   regard to case). Anyone else becomes a new inquiry, with an internal note naming the reference:
   a stranger never writes into someone else's thread.
4. Otherwise it becomes a new inquiry (channel e-mail; the wayfinder suggests the service; the
   receipt goes to the outbox as an answer to the citizen's e-mail).

Attachments the rules refuse (type, size, count) are left out and listed in an internal note; the
message and the acceptable files are still taken in. The inquiry is never lost.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import logging
import mimetypes
import re
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..attachments import MAX_FILES, AttachmentRejected, IncomingFile, attachments_check
from ..lifecycle import Channel
from ..models import Inquiry, InquiryMessage, OutboundEmail
from ..references import references_in
from ..services import inquiry_citizen_message_add, inquiry_note_add, inquiry_submit
from .text import html_to_text

logger = logging.getLogger(__name__)

# Inquiry.description holds at most this much; a longer e-mail is shortened (and a note says so).
MAX_DESCRIPTION = 10_000
MAX_MESSAGE = 50_000
# A Date header further back than this is taken for a wrong clock: the inquiry counts from now.
MAX_DATE_AGE = dt.timedelta(days=30)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_AUTOMATIC_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply"})


class Outcome(enum.StrEnum):
    NEW = "new"
    JOINED = "joined"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    message_id: str
    inquiry: Inquiry | None = None
    reason: str = ""
    refused: tuple[str, ...] = ()
    # Skipped as automatic mail or our own (not a duplicate): worth a human look in the mailbox.
    automatic: bool = False


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    subject: str
    body: str
    sender_name: str
    sender_email: str  # "" when missing or not a valid address
    sender_raw: str
    date: dt.datetime | None
    thread_ids: tuple[str, ...]  # In-Reply-To, then References (newest first)
    files: tuple[IncomingFile, ...] = ()
    automatic: str = ""  # why this is automatic mail, or ""


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; control characters in headers are noise.
    return (text or "").replace("\x00", "")


def _raw_header(msg: EmailMessage, name: str) -> str:
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            try:
                return str(make_header(decode_header(str(value))))
            except (LookupError, UnicodeError, ValueError):
                return str(value)
    return ""


def _header(msg: EmailMessage, name: str) -> str:
    """A header's decoded value; a malformed header falls back to its raw text, never an error."""
    try:
        value = msg.get(name)
        return _clean(" ".join(str(value).split())) if value is not None else ""
    except Exception:  # noqa: BLE001 - the parser can trip over any odd header; keep the mail
        return _clean(" ".join(_raw_header(msg, name).split()))


def _sender(msg: EmailMessage) -> tuple[str, str, str]:
    """(display name, valid address or "", the From header as written)."""
    raw = _header(msg, "From")
    name, address = "", ""
    try:
        header = msg.get("From")
        addresses = getattr(header, "addresses", ()) if header is not None else ()
    except Exception:  # noqa: BLE001
        addresses = ()
    if addresses:
        name, address = addresses[0].display_name, addresses[0].addr_spec
    else:
        name, address = parseaddr(raw)
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        address = ""
    if len(address) > 254:
        address = ""
    return _clean(name).strip(), address, raw


def _derived_id(data: bytes) -> str:
    return f"<{hashlib.sha256(data).hexdigest()[:40]}@no-message-id.indgang.invalid>"


def _message_id(msg: EmailMessage, raw: bytes) -> str:
    value = _header(msg, "Message-ID")
    match = _MESSAGE_ID.search(value)
    if match:
        value = match.group(0)
    elif not value or any(c.isspace() for c in value):
        return _derived_id(raw)
    if len(value) > 998:
        return _derived_id(value.encode())
    return value


def _thread_ids(msg: EmailMessage) -> tuple[str, ...]:
    ids = _MESSAGE_ID.findall(_header(msg, "In-Reply-To"))
    ids += list(reversed(_MESSAGE_ID.findall(_header(msg, "References"))))[:50]
    return tuple(dict.fromkeys(ids))


def _date(msg: EmailMessage) -> dt.datetime | None:
    try:
        header = msg.get("Date")
        value = getattr(header, "datetime", None) if header is not None else None
    except Exception:  # noqa: BLE001
        return None
    if value is None:
        return None
    if timezone.is_naive(value):  # "-0000": the sender's zone is unknown; read it as UTC
        value = value.replace(tzinfo=dt.UTC)
    return value


def _text_of(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return _clean(str(content))


def _body(msg: EmailMessage) -> tuple[str, EmailMessage | None]:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        part = None
    if part is None:
        return "", None
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.strip(), part


def _parts(msg: EmailMessage):
    """Every leaf part; an attached e-mail (message/rfc822) is one part, not opened."""
    if msg.get_content_maintype() == "multipart":
        for sub in msg.iter_parts():
            yield from _parts(sub)
    else:
        yield msg


def _files(msg: EmailMessage, body_part: EmailMessage | None) -> tuple[IncomingFile, ...]:
    files = []
    for part in _parts(msg):
        if part is body_part:
            continue
        try:
            filename = part.get_filename() or ""
        except Exception:  # noqa: BLE001
            filename = ""
        disposition = part.get_content_disposition()
        maintype = part.get_content_maintype()
        if not filename and disposition != "attachment" and maintype == "text":
            continue  # the other alternative of the body (text/html beside text/plain)
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        else:
            content = part.get_payload(decode=True) or b""
        if not filename:
            extension = mimetypes.guess_extension(part.get_content_type()) or ""
            filename = f"attachment-{len(files) + 1}{extension}"
        files.append(IncomingFile(name=_clean(filename), content=content))
    return tuple(files)


def _automatic(msg: EmailMessage, sender_email: str, sender_raw: str) -> str:
    auto_submitted = _header(msg, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return _("automatic message (Auto-Submitted: %(value)s)") % {"value": auto_submitted}
    precedence = _header(msg, "Precedence").strip().lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return _("automatic message (Precedence: %(value)s)") % {"value": precedence}
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"):
        return _("automatic reply (X-Autoreply)")
    local_part = (sender_email or parseaddr(sender_raw)[1]).split("@")[0].lower()
    if local_part in _AUTOMATIC_SENDERS:
        return _("delivery failure report from %(sender)s") % {"sender": local_part}
    if msg.get_content_type() == "multipart/report":
        return _("delivery report")
    if _header(msg, "Return-Path").replace(" ", "") == "<>":
        return _("bounce (empty Return-Path)")
    return ""


def email_parse(*, raw: bytes) -> ParsedEmail:
    """Read what intake needs from an RFC 822 message. Never raises for odd or broken mail."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    name, address, sender_raw = _sender(msg)
    body, body_part = _body(msg)
    return ParsedEmail(
        message_id=_message_id(msg, raw),
        subject=_header(msg, "Subject"),
        body=body,
        sender_name=name,
        sender_email=address,
        sender_raw=sender_raw,
        date=_date(msg),
        thread_ids=_thread_ids(msg),
        files=_files(msg, body_part),
        automatic=_automatic(msg, address, sender_raw),
    )


def _received_at(parsed: ParsedEmail) -> dt.datetime:
    now = timezone.now()
    if parsed.date is None or parsed.date > now or parsed.date < now - MAX_DATE_AGE:
        return now
    return parsed.date


def _checked_files(files: tuple[IncomingFile, ...]) -> tuple[list[IncomingFile], list[str]]:
    """The files the attachment rules accept (at most MAX_FILES), and why each other was refused."""
    accepted: list[IncomingFile] = []
    refused: list[str] = []
    for incoming in files:
        try:
            attachments_check([incoming])
        except AttachmentRejected as exc:
            refused.append(str(exc))
            continue
        if len(accepted) >= MAX_FILES:
            refused.append(
                _("%(name)s: only the first %(count)d files are taken in.")
                % {"name": incoming.name, "count": MAX_FILES}
            )
            continue
        accepted.append(incoming)
    return accepted, refused


def _is_citizen(inquiry: Inquiry, parsed: ParsedEmail) -> bool:
    own = inquiry.citizen_email.strip().casefold()
    return bool(own) and own == parsed.sender_email.casefold()


def _thread_for(parsed: ParsedEmail) -> tuple[Inquiry | None, list[str]]:
    """The inquiry this message continues, and the references it named for someone else."""
    candidates: list[Inquiry] = []
    if parsed.thread_ids:
        ours = OutboundEmail.objects.filter(
            message_id__in=parsed.thread_ids, inquiry__isnull=False
        ).select_related("inquiry")
        theirs = InquiryMessage.objects.filter(
            email_message_id__in=parsed.thread_ids
        ).select_related("inquiry")
        by_id = {row.message_id: row.inquiry for row in ours}
        by_id |= {row.email_message_id: row.inquiry for row in theirs}
        candidates += [by_id[mid] for mid in parsed.thread_ids if mid in by_id]
    references = references_in(parsed.subject) + references_in(parsed.body)
    if references:
        found = {i.reference: i for i in Inquiry.objects.filter(reference__in=references)}
        candidates += [found[ref] for ref in references if ref in found]
    named = []
    for inquiry in candidates:
        if _is_citizen(inquiry, parsed):
            return inquiry, []
        if inquiry.reference not in named:
            named.append(inquiry.reference)
    return None, named


def _note(inquiry: Inquiry, text: str) -> None:
    inquiry_note_add(inquiry=inquiry, body=text, by=None)


def _notes(inquiry: Inquiry, parsed: ParsedEmail, refused: list[str], named: list[str]) -> None:
    # Notes are stored text for staff: written in the site's language, not the command's.
    with translation.override(settings.LANGUAGE_CODE):
        if refused:
            _note(
                inquiry,
                _("These attachments in the citizen's e-mail were not taken in:")
                + "\n"
                + "\n".join(f"- {reason}" for reason in refused),
            )
        if named:
            _note(
                inquiry,
                _(
                    "This e-mail names inquiry %(references)s, but it came from another address "
                    "than the one given with that inquiry, so it was taken in as a new inquiry."
                )
                % {"references": ", ".join(named)},
            )
        if not parsed.sender_email and parsed.sender_raw:
            _note(
                inquiry,
                _("The sender's address could not be read: %(sender)s")
                % {"sender": parsed.sender_raw[:200]},
            )
        if len(parsed.body) > MAX_DESCRIPTION:
            _note(
                inquiry,
                _("The e-mail was longer than %(count)d characters and has been shortened.")
                % {"count": MAX_DESCRIPTION},
            )


def _take_in(parsed: ParsedEmail) -> IngestResult:
    accepted, refused = _checked_files(parsed.files)
    received_at = _received_at(parsed)
    target, named = _thread_for(parsed)
    if target is not None:
        inquiry_citizen_message_add(
            inquiry=target,
            body=parsed.body[:MAX_MESSAGE] or parsed.subject or _("(The e-mail had no text.)"),
            channel=Channel.EMAIL,
            email_message_id=parsed.message_id,
            files=accepted,
            received_at=received_at,
        )
        _notes(target, parsed, refused, [])
        return IngestResult(
            Outcome.JOINED, parsed.message_id, inquiry=target, refused=tuple(refused)
        )
    inquiry = inquiry_submit(
        channel=Channel.EMAIL,
        description=parsed.body[:MAX_DESCRIPTION]
        or parsed.subject
        or _("(The e-mail had no text.)"),
        subject=parsed.subject,
        name=parsed.sender_name,
        email=parsed.sender_email,
        received_at=received_at,
        files=accepted,
        email_message_id=parsed.message_id,
    )
    # The receipt answers the citizen's e-mail, so their mail program shows one thread.
    inquiry.outbound_emails.filter(in_reply_to="").update(in_reply_to=parsed.message_id)
    _notes(inquiry, parsed, refused, named)
    return IngestResult(Outcome.NEW, parsed.message_id, inquiry=inquiry, refused=tuple(refused))


def _already_taken_in(message_id: str) -> bool:
    return InquiryMessage.objects.filter(email_message_id=message_id).exists()


def _sent_by_us(parsed: ParsedEmail) -> bool:
    own_address = parseaddr(getattr(settings, "INQUIRY_EMAIL_FROM", "") or "")[1].casefold()
    if own_address and parsed.sender_email.casefold() == own_address:
        return True
    return OutboundEmail.objects.filter(message_id=parsed.message_id).exists()


def email_ingest(*, raw: bytes) -> IngestResult:
    """Take in one e-mail: a new inquiry, a message joining one, or skipped with the reason.

    Everything it writes is committed together when it returns (unless the caller holds a
    transaction open). Raises only for unexpected failures (e.g. the database is gone).
    """
    parsed = email_parse(raw=raw)
    if _already_taken_in(parsed.message_id):
        result = IngestResult(Outcome.SKIPPED, parsed.message_id, reason=_("already taken in"))
    elif parsed.automatic:
        result = IngestResult(
            Outcome.SKIPPED, parsed.message_id, reason=parsed.automatic, automatic=True
        )
    elif _sent_by_us(parsed):
        result = IngestResult(
            Outcome.SKIPPED, parsed.message_id, reason=_("sent by Indgang itself"), automatic=True
        )
    else:
        try:
            with transaction.atomic():
                result = _take_in(parsed)
        except IntegrityError:
            # Another worker took in the same message a moment ago: its Message-ID won.
            if not _already_taken_in(parsed.message_id):
                raise
            result = IngestResult(Outcome.SKIPPED, parsed.message_id, reason=_("already taken in"))
    if result.inquiry is not None:
        logger.info("e-mail taken in: %s %s", result.outcome, result.inquiry.reference)
    else:
        logger.info("e-mail skipped: %s", result.reason)
    return result
