"""The dashboard's filter form (GET): period, channels, service, service point, and the export."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Service
from indgang.inquiries.staff_forms import DkfdsForm
from indgang.places.models import ServicePoint

from .models import ContactChannel
from .selectors import ContactFilter

DEFAULT_WEEKS = 12
# A longer period is a question for an export of the raw data, not for a page.
MAX_DAYS = 3 * 366
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
# Dates far outside these overflow when turned into moments in the time zone.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 12 ISO weeks: from the Monday eleven weeks before this week's, to today."""
    today = today or timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday - dt.timedelta(weeks=DEFAULT_WEEKS - 1), today


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DashboardFilterForm(DkfdsForm):
    """Bound to the query string (a QueryDict). An empty date means the default period; a bad value
    is a form error on the page, never an error page. The fields are named `from` and `to` in the address,
    which are Python keywords, so they are added in __init__."""

    channel = forms.MultipleChoiceField(
        label=_("Channels"),
        required=False,
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all channels."),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        required=False,
        queryset=Service.objects.order_by("title"),
        to_field_name="slug",
        empty_label=_("All services"),
    )
    point = forms.ModelChoiceField(
        label=_("Service point"),
        required=False,
        queryset=ServicePoint.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All service points"),
    )
    export = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, charts=(), today: dt.date | None = None, **kwargs):
        # Empty or missing dates become the default period, shown in the form as such.
        self.default_from, self.default_to = default_period(today)
        data = data.copy()
        if not data.get("from"):
            data["from"] = self.default_from.isoformat()
        if not data.get("to"):
            data["to"] = self.default_to.isoformat()
        super().__init__(data, **kwargs)
        dates = {
            "from": forms.DateField(
                label=_("From"),
                required=False,
                input_formats=DATE_FORMATS,
                widget=DateInput(attrs={"class": "form-input"}),
            ),
            "to": forms.DateField(
                label=_("To (included)"),
                required=False,
                input_formats=DATE_FORMATS,
                widget=DateInput(attrs={"class": "form-input"}),
            ),
        }
        self.fields = {**dates, **self.fields}
        self.fields["export"].choices = [("", ""), *charts]
        self.fields["channel"].widget.attrs["class"] = "form-checkbox"

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("from") or self.default_from
        end = cleaned.get("to") or self.default_to
        for name, day in (("from", start), ("to", end)):
            if name not in self.errors and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date in the years 2000 to 2099."))
        if "from" in self.errors or "to" in self.errors:
            return cleaned
        if start > end:
            self.add_error("to", _("The end of the period must be on or after its start."))
        elif (end - start).days >= MAX_DAYS:
            self.add_error("from", _("Choose a period of at most three years."))
        cleaned["from"], cleaned["to"] = start, end
        return cleaned

    def contact_filter(self) -> ContactFilter:
        """The filter for the selectors; only after is_valid()."""
        data = self.cleaned_data
        return ContactFilter(
            date_from=data["from"],
            date_to=data["to"],
            channels=tuple(data["channel"]),
            service_id=data["service"].pk if data["service"] else None,
            service_point_id=data["point"].pk if data["point"] else None,
        )

    def query_pairs(self) -> list[tuple[str, str]]:
        """The valid filter as query-string pairs, for the export links."""
        data = self.cleaned_data
        pairs = [("from", data["from"].isoformat()), ("to", data["to"].isoformat())]
        pairs += [("channel", c) for c in data["channel"]]
        if data["service"]:
            pairs.append(("service", data["service"].slug))
        if data["point"]:
            pairs.append(("point", data["point"].slug))
        return pairs
