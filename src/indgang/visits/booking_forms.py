"""The citizen's forms for appointments: who is coming, how to reach them, and what they need;
and the booking reference typed in to check in."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.contact import phone_normalise
from indgang.inquiries.forms import CitizenForm
from indgang.inquiries.references import reference_generate, reference_parse

from .booking import REFERENCE_PREFIX
from .lifecycle import Need
from .models import Appointment

FORM_SALT = "indgang.visits.booking-form"
# A form left open overnight can still be sent (if the time is still free).
FORM_MAX_AGE = 24 * 60 * 60
TOKEN_EXPIRED = _(
    "The form was open for too long. Check your details and press “Book the time” again."
)

NO_CONTACT = _("Write your e-mail address or your mobile number, so we can send the confirmation.")
BAD_PHONE = _("Write a Danish mobile number with 8 digits, or a foreign number starting with +.")

NEED_CHOICES = [
    (Need.INTERPRETER, _("An interpreter (tell us the language in the note)")),
    (Need.SIGN_LANGUAGE, _("A sign language interpreter")),
    (Need.EXTRA_TIME, _("Extra time")),
    (Need.STEP_FREE, _("A step-free room")),
]


def booking_form_token_new() -> str:
    """A signed token with the reference the booking will get (its idempotency key): the same
    form sent twice finds the booking the first one made, so a double click or a resubmission
    never takes two seats."""
    while True:
        reference = reference_generate(REFERENCE_PREFIX)
        if not Appointment.objects.filter(reference=reference).exists():
            return signing.dumps({"r": reference}, salt=FORM_SALT)


def booking_form_token_reference(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("r"), str):
        return None
    reference = reference_parse(value["r"], prefix=REFERENCE_PREFIX)
    return reference if reference == value["r"] else None


class BookingContactForm(CitizenForm):
    anchors = {"needs": "#id_needs_0"}

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    name = forms.CharField(
        label=_("Your name"),
        max_length=Appointment._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write your name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("We send the confirmation and a reminder here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write an e-mail address like name@example.dk.")},
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=40,
        help_text=_("We send a text message the day before. 8 digits; from abroad start with +."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Do you need anything at the meeting? (optional)"),
        required=False,
        choices=NEED_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    note = forms.CharField(
        label=_("Anything we should know? (optional)"),
        required=False,
        max_length=Appointment._meta.get_field("note").max_length,
        help_text=_("For example the language you need an interpreter for. No CPR number."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference: str | None = None

    def clean_token(self) -> str:
        reference = booking_form_token_reference(self.cleaned_data["token"])
        if reference is None:
            raise forms.ValidationError(TOKEN_EXPIRED, code="expired")
        self.reference = reference
        return self.cleaned_data["token"]

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if not value:
            raise forms.ValidationError(_("Write your name."), code="required")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        phone = phone_normalise(value)
        if phone is None:
            raise forms.ValidationError(BAD_PHONE, code="invalid")
        return phone

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            self.add_error("email", forms.ValidationError(NO_CONTACT, code="required"))
        return data


class CheckInForm(CitizenForm):
    """The booking reference from the confirmation, typed in at the kiosk or on the web."""

    reference = forms.CharField(
        label=_("Your booking reference"),
        max_length=40,
        help_text=_("It is in your confirmation and looks like T-7K3Q-9XJ2."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Write the reference from your confirmation.")},
    )

    def clean_reference(self) -> str:
        reference = reference_parse(self.cleaned_data["reference"], prefix=REFERENCE_PREFIX)
        if reference is None:
            raise forms.ValidationError(
                _("This is not a booking reference. It looks like T-7K3Q-9XJ2."), code="invalid"
            )
        return reference
