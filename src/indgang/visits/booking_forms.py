"""The citizen's booking form: who is coming, how to reach them, and what they need."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.contact import phone_normalise
from indgang.inquiries.forms import CitizenForm

from .lifecycle import Need
from .models import Appointment

NO_CONTACT = _("Write your e-mail address or your mobile number, so we can send the confirmation.")
BAD_PHONE = _("Write a Danish mobile number with 8 digits, or a foreign number starting with +.")

NEED_CHOICES = [
    (Need.INTERPRETER, _("An interpreter (tell us the language in the note)")),
    (Need.SIGN_LANGUAGE, _("A sign language interpreter")),
    (Need.EXTRA_TIME, _("Extra time")),
    (Need.STEP_FREE, _("A step-free room")),
]


class BookingContactForm(CitizenForm):
    anchors = {"needs": "#id_needs_0"}

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
