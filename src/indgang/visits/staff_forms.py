"""Forms of the desk pages: sit down at a desk, transfer a ticket, complete it with the outcome."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.lifecycle import SelfServiceObstacle
from indgang.inquiries.staff_forms import YES_NO, DkfdsForm
from indgang.places.models import ServicePoint

from .models import Desk, Queue, Ticket

MAX_PK = 2**31 - 1


def _is_pk(value) -> bool:
    text = str(value)
    return text.isdigit() and int(text) <= MAX_PK


class ChoiceOfRow(forms.ModelChoiceField):
    """A row by its id; a value no database can hold is an invalid choice, not a crash."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name and not _is_pk(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ChoiceOfRows(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not _is_pk(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class PointForm(DkfdsForm):
    """Which service point's desks to show (GET)."""

    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=ServicePoint.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points


class DeskStartForm(DkfdsForm):
    """Sit down at one desk and choose the queues to serve. The picker shows one per desk."""

    desk = ChoiceOfRow(
        queryset=Desk.objects.filter(active=True).select_related("service_point"),
        widget=forms.HiddenInput,
    )
    queues = ChoiceOfRows(
        label=_("Queues you serve"),
        queryset=Queue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one queue.")},
    )

    def __init__(self, *args, point: ServicePoint | None = None, desk: Desk | None = None, **kw):
        super().__init__(*args, **kw)
        queues = Queue.objects.filter(active=True)
        if desk is not None:
            point = desk.service_point
            self.initial.setdefault("desk", desk.pk)
            # .all() so the picker's prefetch of each desk's queues is used (no query per desk).
            self.initial.setdefault("queues", [q.pk for q in desk.queues.all() if q.active])
        if point is not None:
            queues = queues.filter(service_point=point)
        self.fields["queues"].queryset = queues.order_by("sort_order", "code")
        self.fields["queues"].widget.attrs["class"] = "form-checkbox checkbox-large"
        self.fields["desk"].widget.attrs.pop("class", None)

    def clean(self):
        data = super().clean()
        desk, queues = data.get("desk"), data.get("queues")
        if desk and queues and any(q.service_point_id != desk.service_point_id for q in queues):
            self.add_error("queues", _("Choose queues at the desk's own service point."))
        return data


class TransferForm(DkfdsForm):
    prefix = "transfer"

    queue = ChoiceOfRow(label=_("Transfer to queue"), queryset=Queue.objects.none())

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = (
            Queue.objects.filter(active=True, service_point_id=ticket.queue.service_point_id)
            .exclude(pk=ticket.queue_id)
            .order_by("sort_order", "code")
        )
        self.fields["queue"].error_messages["invalid_choice"] = _(
            "Choose another queue at this service point."
        )


class CompleteForm(DkfdsForm):
    """Served: the errand and the outcome, as in the contact registration."""

    prefix = "served"

    service = forms.ChoiceField(label=_("Errand"))
    resolved = forms.ChoiceField(
        label=_("Resolved on first contact?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, resolved")), ("no", _("No, it needs more"))],
    )
    self_service = forms.ChoiceField(
        label=_("Could the citizen have done this by self-service?"),
        widget=forms.RadioSelect,
        choices=YES_NO,
    )
    obstacle = forms.ChoiceField(
        label=_("If not: why?"),
        required=False,
        choices=[("", "—"), *SelfServiceObstacle.choices],
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        services = list(ticket.queue.services.order_by("title"))
        if ticket.service_id and all(s.pk != ticket.service_id for s in services):
            services.insert(0, ticket.service)
        self.services = {str(s.pk): s for s in services}
        self.fields["service"].choices = [("", "—")] + [
            (k, s.title) for k, s in self.services.items()
        ]
        if ticket.service_id:
            self.initial.setdefault("service", str(ticket.service_id))
        self.fields["service"].error_messages["required"] = _("Choose the errand.")

    def clean(self):
        data = super().clean()
        if data.get("self_service") == "no" and not data.get("obstacle"):
            self.add_error("obstacle", _("Say why it could not be done by self-service."))
        if data.get("self_service") == "yes":
            data["obstacle"] = ""
        return data

    @property
    def chosen_service(self):
        return self.services.get(self.cleaned_data.get("service") or "")

    def outcome(self) -> dict:
        data = self.cleaned_data
        return {
            "service": self.chosen_service,
            "resolved_on_first_contact": data["resolved"] == "yes",
            "self_service_possible": data["self_service"] == "yes",
            "self_service_obstacle": data["obstacle"],
        }


class DayFilterForm(DkfdsForm):
    point = forms.ModelChoiceField(
        label=_("Service point"),
        required=False,
        queryset=ServicePoint.objects.none(),
        to_field_name="slug",
    )
    desk = forms.ModelChoiceField(
        label=_("Desk"), required=False, queryset=Desk.objects.none(), empty_label=_("All desks")
    )

    def __init__(self, *args, points, point: ServicePoint | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.fields["point"].empty_label = None
        desks = Desk.objects.filter(service_point=point) if point else Desk.objects.none()
        self.fields["desk"].queryset = desks.order_by("name")
