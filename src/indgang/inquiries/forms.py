"""The citizen's forms: write to us (two steps), and follow an inquiry (tracking)."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Service

from .attachments import MAX_FILE_BYTES, AttachmentRejected, IncomingFile, attachments_check
from .contact import phone_normalise
from .models import Inquiry
from .references import reference_generate, reference_parse
from .serializers import BAD_PHONE, NO_CONTACT

MAX_DESCRIPTION = Inquiry._meta.get_field("description").max_length
# The value of the "I don't know / something else" choice.
OTHER = "andet"

FORM_SALT = "indgang.inquiries.web-form"
# A form left open over a weekend can still be sent.
FORM_MAX_AGE = 3 * 24 * 60 * 60

TOKEN_EXPIRED = _(
    "The form was open for too long. Check what you wrote and press “Send inquiry” again."
)


def form_token_new() -> str:
    """A signed token with the reference the inquiry will get: the same form sent twice is
    refused by the reference's unique index, so a double click never makes two inquiries."""
    while True:
        reference = reference_generate()
        if not Inquiry.objects.filter(reference=reference).exists():
            return signing.dumps({"r": reference}, salt=FORM_SALT)


def form_token_reference(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("r"), str):
        return None
    reference = reference_parse(value["r"])
    return reference if reference == value["r"] else None


_TEXTUAL = {"text", "email", "tel", "number", "url", "password"}


class DkfdsBoundField(BoundField):
    """A field rendered the DKFDS way: `form-input`, and the hint and error it is described by."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        if isinstance(widget, forms.Textarea) or getattr(widget, "input_type", "") in _TEXTUAL:
            attrs["class"] = "form-input"
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}_helptext")
        if self.errors:
            described.append(f"{self.auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class CitizenForm(forms.Form):
    """Every citizen form: DKFDS markup; the browser leaves checking to us (one error summary)."""

    bound_field_class = DkfdsBoundField
    use_required_attribute = False

    # Where the error summary links for a field (radio buttons: the first one).
    anchors: dict[str, str] = {}

    def error_summary(self) -> list[tuple[str, str]]:
        """(message, "#field-id" or "") for every error, in the order of the fields."""
        summary = [(str(message), "") for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                anchor = self.anchors.get(name) or f"#{self[name].auto_id}"
                summary.append((str(message), anchor))
        return summary


class DescribeForm(CitizenForm):
    """Step 1: the need, in the citizen's own words."""

    description = forms.CharField(
        label=_("What do you want to ask us about?"),
        help_text=_("Write in your own words. Do not write your CPR number unless we ask for it."),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write what your inquiry is about.")},
    )
    # From "Write to us" on a service's page: /henvendelse/?ydelse=pas
    ydelse = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is an UploadedFile."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def _incoming(upload: UploadedFile) -> IncomingFile:
    # Never more than the limit plus one byte in memory: that is enough to refuse a large file.
    upload.seek(0)
    return IncomingFile(name=upload.name or "", content=upload.read(MAX_FILE_BYTES + 1))


class InquiryForm(CitizenForm):
    """Step 2: the service, how to answer, attachments. `token` carries the future reference."""

    anchors = {"service": "#id_service_0"}

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    description = DescribeForm.base_fields["description"]
    service = forms.CharField(
        label=_("What is your inquiry about?"),
        max_length=80,
        error_messages={
            "required": _("Choose what your inquiry is about, or choose “I don’t know”.")
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=Inquiry._meta.get_field("citizen_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("We send the receipt and our answer here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write an e-mail address like name@example.dk.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("8 digits. From abroad: start with + and the country code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    files = MultipleFileField(
        label=_("Attach files (optional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference: str | None = None
        self.incoming: list[IncomingFile] = []

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if not value:
            raise forms.ValidationError(_("Write what your inquiry is about."), code="required")
        return value

    def clean_service(self) -> Service | None:
        slug = self.cleaned_data["service"]
        if slug == OTHER:
            return None
        service = Service.objects.published().select_related("authority").filter(slug=slug)
        if not service.exists():
            raise forms.ValidationError(
                _("Choose what your inquiry is about, or choose “I don’t know”."), code="invalid"
            )
        return service.first()

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        phone = phone_normalise(value)
        if phone is None:
            raise forms.ValidationError(BAD_PHONE, code="invalid")
        return phone

    def clean_files(self) -> list[IncomingFile]:
        self.incoming = [_incoming(upload) for upload in self.cleaned_data["files"]]
        try:
            attachments_check(self.incoming)
        except AttachmentRejected as exc:
            raise forms.ValidationError(str(exc), code="rejected") from exc
        return self.incoming

    def clean_token(self) -> str:
        reference = form_token_reference(self.cleaned_data["token"])
        if reference is None:
            raise forms.ValidationError(TOKEN_EXPIRED, code="expired")
        self.reference = reference
        return self.cleaned_data["token"]

    def clean(self):
        cleaned = super().clean()
        no_email = not cleaned.get("email") and "email" not in self.errors
        no_phone = not cleaned.get("phone") and "phone" not in self.errors
        if no_email and no_phone:
            self.add_error("email", forms.ValidationError(NO_CONTACT, code="required"))
        return cleaned


REFERENCE_HELP = _("It looks like H-7K3Q-9XJ2 and is in the receipt we sent you.")


class _ReferenceField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Reference"),
            help_text=REFERENCE_HELP,
            max_length=40,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            error_messages={"required": _("Write the reference of your inquiry.")},
            **kwargs,
        )


class TrackForm(CitizenForm):
    reference = _ReferenceField()
    contact = forms.CharField(
        label=_("Your e-mail address or phone number"),
        help_text=_("The one you gave when you wrote to us."),
        max_length=254,
        error_messages={"required": _("Write your e-mail address or phone number.")},
    )


class CodeRequestForm(CitizenForm):
    reference = _ReferenceField()

    def clean_reference(self) -> str:
        reference = reference_parse(self.cleaned_data["reference"])
        if reference is None:
            raise forms.ValidationError(
                _("This is not a reference from us. %(help)s") % {"help": REFERENCE_HELP},
                code="invalid",
            )
        return reference


class CodeForm(CitizenForm):
    reference = _ReferenceField()
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6 digits from the e-mail."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Write the code from the e-mail.")},
    )
