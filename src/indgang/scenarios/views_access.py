"""Who may use the scenario and placement pages: logged-in staff with the scenarios permission
(managers); others get 403, anonymous visitors the login page."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from indgang.inquiries.staff_views import staff_required

STAFF_SECTION = "scenarios"


def permission_required(permission: str):
    def decorator(view):
        @staff_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Staff"), reverse("inquiries-staff:inbox")),
        (_("Scenarios"), reverse("scenarios:list")),
        *items,
    ]
