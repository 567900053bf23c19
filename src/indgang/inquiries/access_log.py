"""The access log: every time a member of staff sees an inquiry's personal data, one row.

Rows are only ever added (AccessLogEntry refuses updates and deletes); managers read them per
inquiry and per staff member. The log names the inquiry by its reference and holds no personal
data itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, Inquiry


class AccessAction(models.TextChoices):
    VIEW = "view", _("Opened the inquiry")
    VIEW_CPR = "view_cpr", _("Saw the CPR number")
    DOWNLOAD = "download", _("Downloaded an attachment")
    API_VIEW = "api_view", _("Read the inquiry through the API")
    LOOKUP = "lookup", _("Looked up that the inquiry exists")


def access_log_write(*, user, inquiry: Inquiry, action: str) -> AccessLogEntry:
    """Record that `user` saw `inquiry` (`action` is an AccessAction value)."""
    return AccessLogEntry.objects.create(
        user=user, inquiry_reference=inquiry.reference, action=action
    )


@dataclass(frozen=True)
class AccessLogFilters:
    reference: str = ""
    user_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def access_log_list(*, filters: AccessLogFilters) -> QuerySet[AccessLogEntry]:
    """Log rows, newest first, narrowed by `filters` (dates are local calendar days)."""
    qs = AccessLogEntry.objects.select_related("user").order_by("-at", "-pk")
    if filters.reference:
        qs = qs.filter(inquiry_reference=filters.reference)
    if filters.user_id is not None:
        qs = qs.filter(user_id=filters.user_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs
