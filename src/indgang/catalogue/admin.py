from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from indgang.places.models import ServiceOffering

from .models import (
    Authority,
    Department,
    KleEntry,
    LifeEvent,
    LifeEventStep,
    PublicationStatus,
    Service,
)


@admin.register(KleEntry)
class KleEntryAdmin(admin.ModelAdmin):
    """KLE is imported with `indgang import-kle`; staff look it up but never edit it by hand."""

    list_display = ["number", "title", "level", "retired_on", "source_publication"]
    list_filter = ["level", ("retired_on", admin.EmptyFieldListFilter), "source_publication"]
    search_fields = ["number", "title"]
    ordering = ["number"]

    def get_search_results(self, request, queryset, search_term):
        # The service form's KLE picker offers topics only, never groups.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "service":
            queryset = queryset.filter(level="topic", retired_on__isnull=True)
        return queryset, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "email", "website"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


admin.register(Department)(OrganisationAdmin)
admin.register(Authority)(OrganisationAdmin)


class ServiceOfferingInline(admin.TabularInline):
    model = ServiceOffering
    extra = 0
    autocomplete_fields = ["service_point"]
    verbose_name_plural = _("where the service is offered")


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "kle", "handler", "status", "sensitive", "updated_at"]
    list_filter = ["status", "sensitive", "department", "authority", "walk_in", "by_appointment"]
    search_fields = ["title", "slug", "summary", "keywords", "kle__number"]
    list_select_related = ["kle", "department", "authority"]
    autocomplete_fields = ["kle"]
    inlines = [ServiceOfferingInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "kle"]}),
        (_("Text for citizens"), {"fields": ["summary", "about", "eligibility", "how_to"]}),
        (_("Who handles it"), {"fields": ["department", "authority"]}),
        (
            _("Channels"),
            {"fields": ["self_service_url", "by_phone", "walk_in", "by_appointment", "by_post"]},
        ),
        (
            _("Practical"),
            {"fields": ["what_to_bring", "fee", "processing_days", "processing_note", "sensitive"]},
        ),
        (_("Search"), {"fields": ["keywords"]}),
    ]

    @admin.display(description=_("handled by"))
    def handler(self, obj: Service):
        return obj.handler

    def get_readonly_fields(self, request, obj=None):
        # A published slug is a public address that citizens and search engines have stored.
        if obj is not None and obj.is_published:
            return ["slug"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.is_published else {"slug": ["title"]}

    def _set_status(self, request, queryset, status):
        changed = 0
        for service in queryset.exclude(status=status):
            service.status = status
            try:
                service.full_clean()
            except Exception as exc:  # noqa: BLE001 — reported to the clerk, the rest go on
                self.message_user(request, f"{service}: {exc}", messages.ERROR)
                continue
            service.save()
            changed += 1
        self.message_user(
            request, ngettext("%d service changed.", "%d services changed.", changed) % changed
        )

    @admin.action(description=_("Publish the selected services"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(description=_("Set the selected services to draft"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)


class LifeEventStepInline(admin.StackedInline):
    model = LifeEventStep
    extra = 0
    autocomplete_fields = ["service"]
    fields = ["position", "title", "service", "text", "automatic_note"]


@admin.register(LifeEvent)
class LifeEventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "status", "sort_order"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LifeEventStepInline]
