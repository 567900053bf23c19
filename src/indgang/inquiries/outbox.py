"""The e-mail outbox: what to send is written in the same transaction as what caused it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone

from .models import Inquiry, OutboundEmail


def message_id_new() -> str:
    domain = getattr(settings, "INQUIRY_EMAIL_DOMAIN", "") or "indgang.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    inquiry: Inquiry | None = None,
    in_reply_to: str = "",
) -> OutboundEmail:
    email = OutboundEmail(
        inquiry=inquiry,
        to=to,
        subject=subject[:300],
        body=body,
        message_id=message_id_new(),
        in_reply_to=in_reply_to,
        next_attempt_at=timezone.now(),
    )
    email.full_clean()
    email.save()
    return email
