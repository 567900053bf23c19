"""Staff pages of the wayfinder: the searches citizens did not get a good answer to."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Service

from .models import WayfinderQuery
from .query_log import (
    DEFAULT_PERIOD_DAYS,
    PERIOD_DAYS,
    ProblemKind,
    query_groups,
    wayfinder_query_groups,
)

GROUPS_PER_PAGE = 100


def _choice(raw: str | None, allowed, default):
    return raw if raw in allowed else default


@admin.register(WayfinderQuery)
class WayfinderQueryAdmin(admin.ModelAdmin):
    """Read-only. The list counts searches that found no answer, or that citizens marked unhelpful,
    by their normalised text, so staff can add the citizens' words as keywords to a service."""

    list_display = ["text", "best_slug", "confident", "match_count", "language", "created_at"]
    readonly_fields = [f.name for f in WayfinderQuery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        periods = [str(d) for d in PERIOD_DAYS]
        days = int(_choice(request.GET.get("days"), periods, str(DEFAULT_PERIOD_DAYS)))
        kind = _choice(request.GET.get("kind"), ProblemKind.values, ProblemKind.ALL)
        paginator = Paginator(wayfinder_query_groups(days=days, kind=kind), GROUPS_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        groups = query_groups(page.object_list)
        service_ids = dict(
            Service.objects.filter(
                slug__in={g.best_slug for g in groups if g.best_slug}
            ).values_list("slug", "pk")
        )
        rows = [
            {
                "group": group,
                "service_url": reverse(
                    "admin:catalogue_service_change", args=[service_ids[group.best_slug]]
                )
                if group.best_slug in service_ids
                else "",
                "search_url": reverse("admin:catalogue_service_changelist")
                + "?"
                + urlencode({"q": group.text}),
            }
            for group in groups
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Searches without a good answer"),
            "rows": rows,
            "page": page,
            "days": days,
            "kind": kind,
            "period_links": [(d, _link(d, kind)) for d in PERIOD_DAYS],
            "kind_links": [
                (label, value, _link(days, value)) for value, label in ProblemKind.choices
            ],
            "services_url": reverse("admin:catalogue_service_changelist"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/wayfinder/query_groups.html", context)


def _link(days: int, kind: str) -> str:
    return "?" + urlencode({"days": days, "kind": kind})
