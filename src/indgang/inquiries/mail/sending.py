"""Send the e-mail outbox: receipts and answers, with retries, never silently dropped.

A worker claims each due row with a conditional UPDATE (`claimed_at` still what it read); when
another worker got there first, 0 rows change and the row is left to that worker. So several
`indgang inquiries work` processes can run at once without sending a row twice. A claim older than
CLAIM_TIMEOUT is taken as a worker that died mid-send, and the row may be claimed again.

A failed send is tried again after growing pauses (BACKOFF); after the last attempt, or at once
when the SMTP server refuses the recipient or the message for good (5xx), the row gets `failed_at`
and its error stays on it for staff to see.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from ..models import OutboundEmail

logger = logging.getLogger(__name__)

# The pause before each next attempt: after the 1st failure 1 minute … after the 5th 6 hours.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Far longer than a send can take (EMAIL_TIMEOUT): a claim this old belongs to a dead worker.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another worker first

    @property
    def idle(self) -> bool:
        return not (self.sent or self.retrying or self.failed or self.skipped)

    def summary(self) -> str:
        return (
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} given up, "
            f"{self.skipped} taken by another worker"
        )


def outbox_due(*, now: dt.datetime, limit: int = 100) -> list[tuple[int, dt.datetime | None]]:
    """(pk, claimed_at as read) of the rows due at `now`, oldest first."""
    rows = (
        OutboundEmail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "claimed_at")[:limit]
    )
    return list(rows)


def outbox_claim(*, pk: int, seen: dt.datetime | None, now: dt.datetime) -> bool:
    """Claim one row for this worker; False when another worker changed it since it was read."""
    claimed = OutboundEmail.objects.filter(
        pk=pk, claimed_at=seen, sent_at__isnull=True, failed_at__isnull=True
    ).update(claimed_at=now)
    return claimed == 1


def _message(row: OutboundEmail, backend) -> EmailMessage:
    headers = {"Message-ID": row.message_id}
    if row.in_reply_to:
        headers["In-Reply-To"] = row.in_reply_to
        headers["References"] = row.in_reply_to
    return EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.INQUIRY_EMAIL_FROM,
        to=[row.to],
        headers=headers,
        connection=backend,
    )


def _permanent(exc: Exception) -> bool:
    """The server refused the recipient or the message for good: retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def _unreachable(exc: Exception) -> bool:
    """The server cannot be reached (refused, timed out, hung up): the rest of the batch waits
    for the next run instead of spending an attempt each."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    # smtplib's own errors are OSErrors too; those are answers from a server that was reached.
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _failed(row: OutboundEmail, exc: Exception, claim: dt.datetime, report: SendReport) -> None:
    attempts = row.attempts + 1
    values: dict = {
        "attempts": attempts,
        "claimed_at": None,
        "last_error": f"{exc.__class__.__name__}: {exc}"[:2000],
    }
    if _permanent(exc) or attempts >= MAX_ATTEMPTS:
        values["failed_at"] = claim
        report.failed += 1
        logger.error("e-mail %s given up after %d attempts: %s", row.pk, attempts, exc)
    else:
        values["next_attempt_at"] = claim + BACKOFF[attempts - 1]
        report.retrying += 1
        logger.warning("e-mail %s not sent (attempt %d), will retry: %s", row.pk, attempts, exc)
    OutboundEmail.objects.filter(pk=row.pk, claimed_at=claim).update(**values)


def outbox_send(
    *, due: list[tuple[int, dt.datetime | None]], now: dt.datetime | None = None
) -> SendReport:
    """Claim and send the rows in `due` (as read by `outbox_due`); see outbox_send_due."""
    report = SendReport()
    backend = get_connection(fail_silently=False)
    try:
        for pk, seen in due:
            claim = now or timezone.now()
            if not outbox_claim(pk=pk, seen=seen, now=claim):
                report.skipped += 1
                continue
            row = OutboundEmail.objects.get(pk=pk)
            try:
                backend.open()
                if backend.send_messages([_message(row, backend)]) != 1:
                    raise RuntimeError("the mail backend did not accept the message")
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
                _failed(row, exc, claim, report)
                _close(backend)
                if _unreachable(exc):
                    break
                continue
            OutboundEmail.objects.filter(pk=pk, claimed_at=claim).update(
                sent_at=now or timezone.now(),
                attempts=row.attempts + 1,
                claimed_at=None,
                last_error="",
            )
            report.sent += 1
    finally:
        _close(backend)
    return report


def _close(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - a broken connection is closed either way
        logger.debug("closing the mail connection failed", exc_info=True)


def outbox_send_due(*, now: dt.datetime | None = None, limit: int = 100) -> SendReport:
    """Send the outbox rows that are due (at most `limit`), each claimed first so that no other
    worker sends it too. Failures are retried later with growing pauses, then given up visibly."""
    due = outbox_due(now=now or timezone.now(), limit=limit)
    report = outbox_send(due=due, now=now)
    if due:
        logger.info("outbox: %s", report.summary())
    return report
