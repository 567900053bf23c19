"""Forms of the staff pages: inbox filters, the actions on an inquiry, contact registration."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Service

from .access_log import AccessAction
from .attachments import MAX_FILE_BYTES
from .lifecycle import STAFF_REGISTERED_CHANNELS, Channel, SelfServiceObstacle, Status
from .models import Inquiry, Team
from .references import reference_parse
from .selectors import STATUS_ALL, STATUS_OPEN, AssignedFilter, DueFilter, InboxFilters, Sort

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DkfdsForm(forms.Form):
    """Gives the widgets DKFDS's classes (templates/inquiries/staff/_field.html lays them out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                css = "form-radio radio-large"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-checkbox checkbox-large"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.FileInput):
                css = "form-file-input"
            else:
                css = "form-input"
            widget.attrs["class"] = css


class InboxFilterForm(DkfdsForm):
    """Read from the query string; a value that does not fit is ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(STATUS_OPEN, _("All open")), *Status.choices, (STATUS_ALL, _("All"))],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    due = forms.ChoiceField(
        label=_("Answer date"),
        required=False,
        choices=[
            ("", _("Any date")),
            (DueFilter.OVERDUE, _("Overdue")),
            (DueFilter.TODAY, _("Due today")),
            (DueFilter.WEEK, _("Due within a week")),
        ],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[
            ("", _("Everyone")),
            (AssignedFilter.ME, _("Assigned to me")),
            (AssignedFilter.UNASSIGNED, _("Not assigned")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Sort.DUE, _("Answer date, earliest first")),
            (Sort.DUE_LAST, _("Answer date, latest first")),
            (Sort.NEWEST, _("Received, newest first")),
            (Sort.OLDEST, _("Received, oldest first")),
        ],
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All my teams"))] + [(t.pk, t.name) for t in teams]

    def filters(self) -> InboxFilters:
        self.is_valid()
        data = self.cleaned_data  # holds the fields that were valid
        return InboxFilters(
            team=data.get("team"),
            status=data.get("status") or STATUS_OPEN,
            channel=data.get("channel") or "",
            due=data.get("due") or "",
            assigned=data.get("assigned") or "",
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or Sort.DUE,
        )


class AssignForm(DkfdsForm):
    prefix = "assign"
    assignee = forms.ChoiceField(label=_("Assign to"))

    ME = "me"
    NOBODY = "nobody"

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["assignee"].choices = [
            (self.ME, _("Me")),
            *((pk, m.get_full_name() or m.get_username()) for pk, m in self.members.items()),
            (self.NOBODY, _("Nobody (unassign)")),
        ]

    def chosen_assignee(self, user):
        value = self.cleaned_data["assignee"]
        if value == self.ME:
            return user
        if value == self.NOBODY:
            return None
        return self.members[value]


class StatusForm(DkfdsForm):
    prefix = "status"

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in Status.values if s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "That status change is not allowed from the inquiry's current status."
        )


class HandOverForm(DkfdsForm):
    prefix = "handover"

    team = forms.ModelChoiceField(label=_("Hand over to team"), queryset=Team.objects.none())
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("The receiving team reads this with the inquiry."),
    )

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.order_by("name")
        if inquiry.team_id:
            teams = teams.exclude(pk=inquiry.team_id)
        self.fields["team"].queryset = teams


class NoteForm(DkfdsForm):
    prefix = "note"

    body = forms.CharField(
        label=_("Internal note"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see notes. They are never sent to the citizen."),
    )


class ReplyForm(DkfdsForm):
    prefix = "reply"

    body = forms.CharField(
        label=_("Answer to the citizen"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    status = forms.ChoiceField(
        label=_("Afterwards the inquiry is"),
        widget=forms.RadioSelect,
        initial=Status.ANSWERED,
        choices=[
            (Status.ANSWERED, _("Answered")),
            (Status.AWAITING_CITIZEN, _("Awaiting the citizen (the answer asks a question)")),
        ],
    )


def _service_label(service: Service) -> str:
    return service.title


class RegistrationForm(DkfdsForm):
    """One screen for a phone call, a counter visit, a letter or a social-media message."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        widget=forms.RadioSelect,
        choices=[(c.value, c.label) for c in STAFF_REGISTERED_CHANNELS],
    )
    service_query = forms.CharField(
        label=_("Find the service"),
        required=False,
        max_length=200,
        help_text=_("Write the citizen's words and press “Find”, or choose in the list below."),
    )
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        help_text=_("Leave empty when you do not know: the note is read to suggest one."),
    )
    note = forms.CharField(
        label=_("Short note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    name = forms.CharField(label=_("Citizen's name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Citizen's phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("Citizen's e-mail"), required=False)
    resolved = forms.ChoiceField(
        label=_("Resolved on first contact?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, resolved")), ("no", _("No, pass it on"))],
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
    send_receipt = forms.BooleanField(
        label=_("Send a receipt by e-mail (when passed on and an address is given)"),
        required=False,
        initial=True,
    )
    scan = forms.FileField(
        label=_("Scanned letter"),
        required=False,
        help_text=_("PDF or image, at most 10 MB."),
    )

    def __init__(self, *args, suggested: list[Service] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        services = list(Service.objects.published().only("pk", "title").order_by("title"))
        self.services = {str(s.pk): s for s in services}
        everything = [(str(s.pk), _service_label(s)) for s in services]
        choices: list = [("", _("— Don't know / other —"))]
        if suggested:
            choices.append((_("Suggested"), [(str(s.pk), _service_label(s)) for s in suggested]))
            choices.append((_("All services"), everything))
        else:
            choices.extend(everything)
        self.fields["service"].choices = choices

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and scan.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return scan

    def clean(self):
        data = super().clean()
        if data.get("self_service") == "no" and not data.get("obstacle"):
            self.add_error("obstacle", _("Say why it could not be done by self-service."))
        if data.get("self_service") == "yes":
            data["obstacle"] = ""
        return data

    @property
    def chosen_service(self) -> Service | None:
        return self.services.get(self.cleaned_data.get("service") or "")


class AccessLogFilterForm(DkfdsForm):
    reference = forms.CharField(label=_("Inquiry reference"), required=False, max_length=20)
    user = forms.ModelChoiceField(
        label=_("Staff member"), required=False, queryset=get_user_model().objects.none()
    )
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AccessAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_staff=True).order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.get_username()
        )

    def clean_reference(self):
        raw = self.cleaned_data.get("reference", "").strip()
        if not raw:
            return ""
        reference = reference_parse(raw)
        if reference is None:
            raise ValidationError(_("That is not an inquiry reference (like H-7K3Q-9XJ2)."))
        return reference
