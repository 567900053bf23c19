"""Shared by the scenario and placement pages: the staff menu section and the breadcrumbs.
Access is `staff_permission_required` with the scenarios permissions (managers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

STAFF_SECTION = "scenarios"


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Staff"), reverse("inquiries-staff:inbox")),
        (_("Scenarios"), reverse("scenarios:list")),
        *items,
    ]
