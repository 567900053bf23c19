"""Admin for inquiries: teams and routing rules are edited here; the logs are read-only.

Inquiries themselves, their messages and the outgoing e-mails are deliberately not in the admin:
they hold citizens' personal data, which only the handling team sees (in the staff inbox, with
every reading logged). Not even a superuser reads them here.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLogEntry, DeletionLogEntry, RoutingRule, Team


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "is_front_office", "member_count", "email"]
    list_filter = ["is_front_office", "department"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    list_select_related = ["department"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj: Team) -> int:
        return obj._member_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    """Rules are tried in order (lowest number first); the first that matches wins."""

    list_display = ["position", "active", "team", "service", "kle_prefix", "channel", "words"]
    list_display_links = ["team"]
    list_editable = ["position", "active"]
    list_filter = ["active", "team", "channel"]
    list_select_related = ["team", "service"]
    search_fields = ["words", "kle_prefix", "note", "service__title"]
    autocomplete_fields = ["service"]
    ordering = ["position", "pk"]
    fields = ["position", "active", "team", "service", "kle_prefix", "channel", "words", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """Append-only: nobody edits or deletes a row, not even a superuser. Managers read it with
    filters in the staff pages (/personale/adgangslog/)."""

    list_display = ["at", "user", "inquiry_reference", "action"]
    list_filter = ["action", "at"]
    search_fields = ["inquiry_reference", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    readonly_fields = ["at", "user", "inquiry_reference", "action"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("inquiries.view_access_log")

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(DeletionLogEntry)
class DeletionLogEntryAdmin(ReadOnlyAdmin):
    """What the retention job deleted, when and why; it holds no personal data."""

    list_display = ["deleted_at", "inquiry_reference", "service_slug", "closed_on", "reason"]
    search_fields = ["inquiry_reference", "service_slug"]
    date_hierarchy = "deleted_at"
    readonly_fields = ["inquiry_reference", "service_slug", "closed_on", "deleted_at", "reason"]
