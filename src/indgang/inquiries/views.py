"""Citizen pages for inquiries: write to us (/henvendelse/), the receipt, and tracking."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indgang.catalogue.models import Service
from indgang.catalogue.selectors import normalise_query
from indgang.wayfinder.selectors import wayfinder_search

from .attachments import ACCEPTED_DESCRIPTION, MAX_FILE_BYTES, MAX_FILES, AttachmentRejected
from .forms import (
    OTHER,
    TOKEN_EXPIRED,
    CodeForm,
    CodeRequestForm,
    DescribeForm,
    InquiryForm,
    TrackForm,
    form_token_new,
)
from .lifecycle import Channel
from .models import Inquiry
from .services import inquiry_submit
from .tracking import (
    FAILURE_WINDOW,
    client_key,
    inquiry_for_contact,
    session_forget,
    session_grant,
    session_inquiry,
    status_text,
    timeline_for,
    tracking_blocked,
    tracking_code_redeem,
    tracking_code_send,
    tracking_failure_record,
)

# The wayfinder's best guess and a few more: enough to choose from, few enough to read.
SERVICE_OPTIONS = 4
RECEIPT_SESSION_KEY = "inquiries.receipt"
RECEIPT_SECONDS = 2 * 60 * 60
CODE_SESSION_KEY = "inquiries.code_reference"
# The same words whatever was wrong: nobody learns whether the reference exists.
LOOKUP_FAILED = gettext_lazy(
    "We could not find an inquiry with these details. Check the reference and the e-mail "
    "address or phone number, and try again."
)


def _breadcrumbs(*pages: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Front page"), reverse("core:front")), *pages]


def _form_crumbs() -> list[tuple[str, str | None]]:
    return _breadcrumbs((_("Write to us"), None))


# --- Write to us ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceOption:
    value: str
    service: Service | None

    @property
    def other_authority(self):
        if self.service is None or self.service.handled_by_municipality:
            return None
        return self.service.authority


def _service_options(description: str, chosen: str) -> tuple[list[ServiceOption], str]:
    """The services to choose from, and which one is chosen to begin with."""
    query = normalise_query(description)
    answer = wayfinder_search(query=query, limit=SERVICE_OPTIONS) if query else None
    ids = [m.service_id for m in answer.matches] if answer else []
    published = Service.objects.published().select_related("authority", "department")
    by_id = published.in_bulk(ids)
    services = [by_id[i] for i in ids if i in by_id]
    if chosen and chosen != OTHER and chosen not in {s.slug for s in services}:
        wanted = published.filter(slug=chosen).first()
        if wanted is not None:
            services.insert(0, wanted)
        else:
            chosen = ""
    if not chosen:
        chosen = services[0].slug if answer and answer.confident and services else OTHER
    options = [ServiceOption(s.slug, s) for s in services[: SERVICE_OPTIONS + 1]]
    return [*options, ServiceOption(OTHER, None)], chosen


def _initial_contact(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name(), "email": getattr(user, "email", "")}


def _render_form(request: HttpRequest, *, step: int, form, status: int = 200, **extra):
    context = {
        "step": step,
        "form": form,
        "breadcrumbs": _form_crumbs(),
        "max_files": MAX_FILES,
        "max_file_mb": MAX_FILE_BYTES // (1024 * 1024),
        "accepted_types": ACCEPTED_DESCRIPTION,
        **extra,
    }
    return render(request, "inquiries/citizen/form.html", context, status=status)


def _render_step_two(
    request: HttpRequest, form: InquiryForm, *, description: str, chosen: str
) -> HttpResponse:
    options, chosen = _service_options(description, chosen)
    # A browser cannot fill in a file field again: say so when files were sent with errors.
    dropped = bool(request.FILES) and bool(form.errors)
    return _render_form(
        request, step=2, form=form, options=options, chosen=chosen, files_dropped=dropped
    )


@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """/henvendelse/: step 1 asks for the need; step 2 confirms the service and how to answer."""
    if request.method != "POST":
        slug = request.GET.get("ydelse", "")
        form = DescribeForm(initial={"ydelse": slug if _published_slug(slug) else ""})
        return _render_form(request, step=1, form=form)
    action = request.POST.get("action")
    if action == "send":
        return _send(request)
    if action == "suggest":
        # "Update the suggestions" after changing the description: nothing is checked yet.
        initial = {f: request.POST.get(f, "") for f in ("description", "name", "email", "phone")}
        initial["token"] = request.POST.get("token", "") or form_token_new()
        form = InquiryForm(initial=initial)
        return _render_step_two(request, form, description=initial["description"], chosen="")
    describe = DescribeForm(request.POST)
    if not describe.is_valid():
        return _render_form(request, step=1, form=describe)
    description = describe.cleaned_data["description"]
    initial = {"description": description, "token": form_token_new(), **_initial_contact(request)}
    form = InquiryForm(initial=initial)
    return _render_step_two(
        request, form, description=description, chosen=describe.cleaned_data["ydelse"]
    )


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _published_slug(slug: str) -> bool:
    # Checked for a slug's shape first: odd input (a NUL byte) never reaches the database.
    return (
        bool(_SLUG.fullmatch(slug))
        and len(slug) <= 80
        and Service.objects.published().filter(slug=slug).exists()
    )


def _send(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST, request.FILES)
    if not form.is_valid():
        if "token" in form.errors:
            # A fresh token, so pressing "Send" again works; everything typed stays.
            data = request.POST.copy()
            data["token"] = form_token_new()
            form = InquiryForm(data, request.FILES)
            form.is_valid()
            form.add_error(None, TOKEN_EXPIRED)
        return _render_step_two(
            request,
            form,
            description=request.POST.get("description", ""),
            chosen=request.POST.get("service", "")[:80],
        )
    data = form.cleaned_data
    existing = Inquiry.objects.filter(reference=form.reference).first()
    if existing is None:
        try:
            existing = inquiry_submit(
                channel=Channel.WEB,
                description=data["description"],
                service=data["service"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                user=request.user,
                files=form.incoming,
                suggest_service=False,  # the citizen chose; "I don't know" goes to a person
                reference=form.reference,
            )
        except AttachmentRejected as exc:  # pragma: no cover - the form checked the same rules
            form.add_error("files", str(exc))
            return _render_step_two(
                request, form, description=data["description"], chosen=request.POST["service"]
            )
        except IntegrityError:
            # The same form arrived twice at once and the other request saved it first.
            existing = Inquiry.objects.filter(reference=form.reference).first()
            if existing is None:
                raise
    return _receipt_redirect(request, existing)


def _receipt_redirect(request: HttpRequest, inquiry: Inquiry) -> HttpResponse:
    session_grant(request, inquiry)
    request.session[RECEIPT_SESSION_KEY] = {
        "id": inquiry.pk,
        "until": time.time() + RECEIPT_SECONDS,
    }
    return HttpResponseRedirect(reverse("inquiries:receipt"))


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    """After sending (post/redirect/get): the reference, the promised date, what happens next."""
    held = request.session.get(RECEIPT_SESSION_KEY)
    inquiry = None
    if isinstance(held, dict) and isinstance(held.get("id"), int):
        if isinstance(held.get("until"), int | float) and held["until"] >= time.time():
            inquiry = (
                Inquiry.objects.select_related("service__authority", "service__department")
                .filter(pk=held["id"])
                .first()
            )
    if inquiry is None:
        return HttpResponseRedirect(reverse("inquiries:track"))
    return render(
        request,
        "inquiries/citizen/receipt.html",
        {
            "inquiry": inquiry,
            "spelled": " ".join(c for c in inquiry.reference if c != "-"),
            "breadcrumbs": _breadcrumbs(
                (_("Write to us"), reverse("inquiries:form")), (_("Receipt"), None)
            ),
        },
    )


# --- Tracking --------------------------------------------------------------------------------


def _track_crumbs() -> list[tuple[str, str | None]]:
    return _breadcrumbs((_("Follow your inquiry"), None))


def _too_many(request: HttpRequest) -> HttpResponse:
    minutes = int(FAILURE_WINDOW.total_seconds() // 60)
    return render(
        request,
        "inquiries/citizen/too_many.html",
        {"minutes": minutes, "breadcrumbs": _track_crumbs()},
        status=429,
    )


def _render_track(request: HttpRequest, *, track_form=None, code_form=None, status=200):
    return render(
        request,
        "inquiries/citizen/track.html",
        {
            "track_form": track_form or TrackForm(),
            "code_form": code_form or CodeRequestForm(),
            "breadcrumbs": _track_crumbs(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """/henvendelse/status/: the reference plus the e-mail or phone given, then the timeline."""
    if request.method != "POST":
        inquiry = session_inquiry(request)
        if inquiry is None:
            return _render_track(request)
        return render(
            request,
            "inquiries/citizen/status.html",
            {
                "inquiry": inquiry,
                "status_text": status_text(inquiry),
                "timeline": timeline_for(inquiry),
                "breadcrumbs": _track_crumbs(),
            },
        )
    client = client_key(request)
    reference_text = str(request.POST.get("reference", ""))[:40]
    if tracking_blocked(client=client, reference_text=reference_text):
        return _too_many(request)
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _render_track(request, track_form=form)
    inquiry = inquiry_for_contact(
        reference_text=form.cleaned_data["reference"], contact=form.cleaned_data["contact"]
    )
    if inquiry is None:
        tracking_failure_record(client=client, reference_text=form.cleaned_data["reference"])
        form.add_error(None, LOOKUP_FAILED)
        return _render_track(request, track_form=form)
    session_grant(request, inquiry)
    return HttpResponseRedirect(reverse("inquiries:track"))


@require_http_methods(["GET", "HEAD", "POST"])
def track_code(request: HttpRequest) -> HttpResponse:
    """/henvendelse/status/kode/: send a one-time code to the inquiry's e-mail, then enter it."""
    crumbs = _breadcrumbs(
        (_("Follow your inquiry"), reverse("inquiries:track")), (_("One-time code"), None)
    )
    if request.method != "POST":
        reference = request.session.get(CODE_SESSION_KEY, "")
        form = CodeForm(initial={"reference": reference if isinstance(reference, str) else ""})
        return render(
            request,
            "inquiries/citizen/track_code.html",
            {"form": form, "sent": bool(reference), "breadcrumbs": crumbs},
        )
    client = client_key(request)
    reference_text = str(request.POST.get("reference", ""))[:40]
    if tracking_blocked(client=client, reference_text=reference_text):
        return _too_many(request)
    if request.POST.get("action") == "send":
        request_form = CodeRequestForm(request.POST)
        if not request_form.is_valid():
            return _render_track(request, code_form=request_form)
        reference = request_form.cleaned_data["reference"]
        tracking_code_send(reference_text=reference)
        # Counted like a failed lookup, so codes cannot be asked for without limit.
        tracking_failure_record(client=client)
        request.session[CODE_SESSION_KEY] = reference
        return HttpResponseRedirect(reverse("inquiries:track_code"))
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "inquiries/citizen/track_code.html",
            {"form": form, "sent": False, "breadcrumbs": crumbs},
        )
    inquiry = tracking_code_redeem(
        reference_text=form.cleaned_data["reference"], code=form.cleaned_data["code"]
    )
    if inquiry is None:
        tracking_failure_record(client=client, reference_text=form.cleaned_data["reference"])
        form.add_error(
            None,
            _("The code does not fit, is used or has expired. Check it, or ask for a new code."),
        )
        return render(
            request,
            "inquiries/citizen/track_code.html",
            {"form": form, "sent": False, "breadcrumbs": crumbs},
        )
    request.session.pop(CODE_SESSION_KEY, None)
    session_grant(request, inquiry)
    return HttpResponseRedirect(reverse("inquiries:track"))


@require_POST
def track_forget(request: HttpRequest) -> HttpResponse:
    """Close the inquiry on this device (a library PC): the next person sees only the form."""
    session_forget(request)
    request.session.pop(RECEIPT_SESSION_KEY, None)
    return HttpResponseRedirect(reverse("inquiries:track"))
