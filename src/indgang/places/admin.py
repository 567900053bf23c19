from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BusStop,
    ClosingDay,
    HoursException,
    ServiceOffering,
    ServicePoint,
    ServicePointKind,
    SpecialPeriod,
    WeeklyHours,
)
from .models.hours import MIDNIGHT


def _minutes(clock, *, end=False) -> int:
    return 24 * 60 if end and clock == MIDNIGHT else clock.hour * 60 + clock.minute


class WeeklyHoursFormSet(forms.BaseInlineFormSet):
    """Refuse two periods that overlap on the same weekday, season and bus stop."""

    def clean(self):
        super().clean()
        seen: dict[tuple, list[tuple[int, int]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("opens") or not data.get("closes"):
                continue
            key = (
                data.get("weekday"),
                data.get("valid_from"),
                data.get("valid_until"),
                data.get("stop"),
            )
            span = (_minutes(data["opens"]), _minutes(data["closes"], end=True))
            for other in seen.setdefault(key, []):
                if span[0] < other[1] and other[0] < span[1]:
                    raise forms.ValidationError(
                        _("Two periods on the same weekday overlap. Join them or change the times.")
                    )
            seen[key].append(span)


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    formset = WeeklyHoursFormSet
    extra = 0
    fields = ["weekday", "opens", "closes", "stop", "valid_from", "valid_until", "note"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the stops of the bus being edited.
        if db_field.name == "stop":
            point_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = BusStop.objects.filter(service_point_id=point_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BusStopInline(admin.TabularInline):
    model = BusStop
    extra = 0
    fields = ["name", "street_address", "postcode", "city", "latitude", "longitude", "sort_order"]


class ServiceOfferingInline(admin.TabularInline):
    model = ServiceOffering
    extra = 0
    autocomplete_fields = ["service"]


@admin.register(ServicePoint)
class ServicePointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "city", "published", "sort_order"]
    list_filter = ["kind", "published"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [WeeklyHoursInline, ServiceOfferingInline, BusStopInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "summary", "published", "sort_order"]}),
        (
            _("Address and contact"),
            {
                "fields": [
                    "street_address",
                    "postcode",
                    "city",
                    "latitude",
                    "longitude",
                    "directions",
                    "phone",
                    "email",
                    "chat_url",
                ]
            },
        ),
        (
            _("Accessibility"),
            {
                "fields": [
                    "step_free_access",
                    "parking",
                    "disabled_parking",
                    "public_transport",
                    "hearing_loop",
                    "private_room",
                    "self_service_pcs",
                    "accessibility_note",
                ]
            },
        ),
        (_("Opening hours"), {"fields": ["follows_public_holidays"]}),
    ]

    def get_inlines(self, request, obj):
        if obj is None or obj.kind != ServicePointKind.CITIZEN_BUS:
            return [WeeklyHoursInline, ServiceOfferingInline]
        return self.inlines


class SpecialPeriodInline(admin.TabularInline):
    model = SpecialPeriod
    extra = 1


@admin.register(HoursException)
class HoursExceptionAdmin(SimpleHistoryAdmin):
    list_display = ["service_point", "starts_on", "ends_on", "closed", "note"]
    list_filter = ["service_point", "closed"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["service_point"]
    inlines = [SpecialPeriodInline]
    fields = ["service_point", "stop", "starts_on", "ends_on", "closed", "note"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        exception = form.instance
        if exception.closed and exception.periods.exists():
            exception.periods.all().delete()
            self.message_user(request, _("The day is closed, so its special periods were removed."))


@admin.register(ClosingDay)
class ClosingDayAdmin(SimpleHistoryAdmin):
    list_display = ["name", "date", "month", "day", "easter_offset"]
    search_fields = ["name"]
