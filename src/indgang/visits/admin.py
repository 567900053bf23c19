"""Admin for visits: queues, desks, booking windows and days without bookings are edited here.

Tickets and appointments are deliberately not in the admin: they are worked at the desks
(/personale/skranke/) and appointments hold citizens' names and contact details.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import BlockedDate, BookingPolicy, Desk, Queue


@admin.register(Queue)
class QueueAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "service_point", "service_count", "sort_order", "active"]
    list_display_links = ["code", "name"]
    list_filter = ["active", "service_point"]
    list_select_related = ["service_point"]
    search_fields = ["code", "name", "services__title"]
    filter_horizontal = ["services"]
    fields = ["service_point", "code", "name", "services", "sort_order", "active"]
    ordering = ["service_point__name", "sort_order", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_service_count=Count("services"))

    @admin.display(description=_("services"), ordering="_service_count")
    def service_count(self, obj: Queue) -> int:
        return obj._service_count


@admin.register(Desk)
class DeskAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "service_point", "active"]
    list_filter = ["kind", "active", "service_point"]
    list_select_related = ["service_point"]
    search_fields = ["name"]
    filter_horizontal = ["queues"]
    fields = ["service_point", "name", "kind", "queues", "active"]
    ordering = ["service_point__name", "name"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "queues":
            kwargs["queryset"] = Queue.objects.select_related("service_point")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    list_display = ["service_point", "min_days_ahead", "max_days_ahead", "buffer_minutes"]
    list_select_related = ["service_point"]


@admin.register(BlockedDate)
class BlockedDateAdmin(admin.ModelAdmin):
    list_display = ["date", "service_point", "reason"]
    list_filter = ["service_point"]
    list_select_related = ["service_point"]
    date_hierarchy = "date"
