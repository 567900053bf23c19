"""Writes that only the staff pages make (the inquiry's own changes live in services.py)."""

from __future__ import annotations

from django.utils import timezone

from .models import OutboundEmail


def outbound_email_retry(*, email: OutboundEmail) -> bool:
    """Send a failed e-mail again: back in the outbox queue at once. False when it was not failed
    (sent meanwhile, or already queued again). A conditional UPDATE, so two clicks do no harm."""
    updated = OutboundEmail.objects.filter(
        pk=email.pk, sent_at__isnull=True, failed_at__isnull=False
    ).update(failed_at=None, next_attempt_at=timezone.now())
    return updated == 1
