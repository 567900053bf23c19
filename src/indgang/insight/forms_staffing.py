"""The staffing page's GET form: which week, which channel, and the targets to plan for."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.staff_forms import DkfdsForm

from .forms import DATE_FORMATS, DateInput
from .models import ContactChannel
from .staffing_plan import DEFAULT_SHRINKAGE, STAFFED_CHANNELS, Target

# Planning further out than this is guesswork; looking further back is a question for the dashboard.
MAX_DAYS_AHEAD = 366
MAX_DAYS_BACK = 366


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


class StaffingForm(DkfdsForm):
    """Every field is optional: an empty one means the default (next week, all channels, each
    channel's own target, 30 % shrinkage)."""

    week = forms.DateField(
        label=_("Week starting"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("The plan covers seven days from this date. Empty: next Monday."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All staffed channels"))]
        + [(c.value, c.label) for c in ContactChannel if c in STAFFED_CHANNELS],
    )
    target = forms.IntegerField(
        label=_("Service level target (%)"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Share served within the answer time. Empty: 80 %."),
    )
    answer_time = forms.IntegerField(
        label=_("Answer time (seconds)"),
        required=False,
        min_value=1,
        max_value=4 * 3600,
        help_text=_("Empty: phone 20 s, chat 60 s, counters 600 s (10 minutes)."),
    )
    shrinkage = forms.IntegerField(
        label=_("Shrinkage (%)"),
        required=False,
        min_value=0,
        max_value=90,
        help_text=_(
            "Paid time not spent serving: breaks, training, meetings, absence. Empty: 30 %."
        ),
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_week(self) -> dt.date:
        week = self.cleaned_data.get("week") or next_monday(self.today)
        if week > self.today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose a week within the coming year."))
        if week < self.today - dt.timedelta(days=MAX_DAYS_BACK):
            raise forms.ValidationError(_("Choose a week no more than a year back."))
        return week

    def channels(self) -> list[str]:
        chosen = self.cleaned_data.get("channel")
        return [chosen] if chosen else list(STAFFED_CHANNELS)

    def shrinkage_share(self) -> float:
        value = self.cleaned_data.get("shrinkage")
        return DEFAULT_SHRINKAGE if value is None else value / 100

    def targets(self, defaults: dict[str, Target]) -> dict[str, Target]:
        """The chosen channels' targets with the form's overrides applied."""
        target, answer = self.cleaned_data.get("target"), self.cleaned_data.get("answer_time")
        result = {}
        for channel in self.channels():
            default = defaults[channel]
            result[channel] = Target(
                service_level=default.service_level if target is None else target / 100,
                answer_seconds=default.answer_seconds if answer is None else answer,
            )
        return result
