"""Citizen pages for booking a time (/tidsbestilling/), without login and without JavaScript.

Choose the service, the service point, a day and a time (plain links and GET forms), then the
contact form (POST, then redirect to the confirmation). The confirmation and the manage page
are reached by the appointment's secret manage token; cancel and change are POSTs there.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indgang.catalogue.models import Service
from indgang.places.models import ServicePoint

from .booking import AlreadyBooked, SlotFull, appointment_for_reference
from .booking_forms import (
    TOKEN_EXPIRED,
    BookingContactForm,
    booking_form_token_new,
    booking_form_token_reference,
)
from .booking_manage import (
    SlotUnavailable,
    appointment_book_slot,
    appointment_cancel,
    appointment_move,
    free_alternatives,
    ics_url,
)
from .check_in import CheckInFailed, citizen_check_in
from .citizen import ticket_page_url
from .desk_services import check_in_queue_for, check_in_window
from .ics import appointment_ics
from .lifecycle import AppointmentStatus, InvalidTransition, Need
from .models import Appointment, Ticket
from .slots import (
    bookable_points,
    bookable_services,
    days_with_free_slots,
    free_slots_for,
    slot_find,
    slot_key_parse,
    takes_no_bookings,
)

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _crumbs(*pages: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Front page"), reverse("core:front")), *pages]


def _choose_crumbs() -> list[tuple[str, str | None]]:
    return _crumbs((_("Book a time"), None))


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _language() -> str:
    language = (translation.get_language() or "da").split("-")[0]
    return language if language in ("da", "en") else "da"


# --- Choose service, place, day and time -------------------------------------------------------


def _wanted_point(slug: str) -> ServicePoint | None:
    if not slug or not _SLUG.fullmatch(slug):
        return None  # checked for a slug's shape first: odd input never reaches the database
    return ServicePoint.objects.published().filter(slug=slug).first()


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    wanted_service = str(request.GET.get("ydelse", ""))[:80]
    wanted_point = str(request.GET.get("sted", ""))[:80]
    at_point = _wanted_point(wanted_point)
    context: dict = {"breadcrumbs": _choose_crumbs()}
    if at_point is not None and takes_no_bookings(at_point):
        # The citizen bus: say plainly that it takes no bookings and where to find it.
        context |= {"no_bookings_point": at_point}
        at_point = None
    # From a service point's page (?sted=…): only what that point takes bookings for.
    services = bookable_services(service_point=at_point) if at_point and not wanted_service else []
    if not services:
        services, at_point = bookable_services(), None
    service = next((s for s in services if s.slug == wanted_service), None)
    context |= {"services": services, "service": service, "at_point": at_point}
    if service is None:
        context |= {"step": "service", "unknown": bool(wanted_service)}
        return render(request, "visits/booking/choose.html", context)

    points = bookable_points(service=service)
    point = next((p for p in points if p.slug == wanted_point), None)
    if point is None and len(points) == 1:
        point = points[0]
    context |= {"points": points, "point": point}
    if point is None:
        unknown = bool(wanted_point) and "no_bookings_point" not in context
        context |= {"step": "point", "unknown": unknown}
        return render(request, "visits/booking/choose.html", context)

    days = days_with_free_slots(service=service, service_point=point)
    day = _parse_date(str(request.GET.get("dato", "")))
    day_links = [
        (d, free, "?" + urlencode({"ydelse": service.slug, "sted": point.slug, "dato": d}))
        for d, free in days
    ]
    context |= {"days": day_links, "day": day}
    slots = free_slots_for(service=service, service_point=point, day=day) if day else []
    if not slots:
        context |= {"step": "day", "unknown": day is not None}
        return render(request, "visits/booking/choose.html", context)
    context |= {
        "step": "time",
        "times": [
            (
                slot,
                reverse(
                    "booking:contact",
                    kwargs={"service": service.slug, "point": point.slug, "when": slot.key},
                ),
            )
            for slot in slots
        ],
    }
    return render(request, "visits/booking/choose.html", context)


# --- Who is coming ----------------------------------------------------------------------------


def _unavailable(request, *, service, point, start, full: bool) -> HttpResponse:
    alternatives = free_alternatives(service=service, service_point=point, near=start)
    times = [
        (
            slot,
            reverse(
                "booking:contact",
                kwargs={"service": service.slug, "point": point.slug, "when": slot.key},
            ),
        )
        for slot in alternatives
    ]
    return render(
        request,
        "visits/booking/unavailable.html",
        {
            "service": service,
            "point": point,
            "full": full,
            "times": times,
            "choose_url": reverse("booking:choose")
            + "?"
            + urlencode({"ydelse": service.slug, "sted": point.slug}),
            "breadcrumbs": _crumbs(
                (_("Book a time"), reverse("booking:choose")), (_("Time not available"), None)
            ),
        },
        status=409 if full else 404,
    )


def _confirmation_redirect(appointment: Appointment) -> HttpResponse:
    return HttpResponseRedirect(
        reverse("booking:confirmation", kwargs={"token": appointment.manage_token})
    )


def _contact_form_bound(request: HttpRequest) -> BookingContactForm:
    """The sent form; one whose token has expired gets a fresh one and says so, keeping what
    was typed, so pressing the button again books."""
    form = BookingContactForm(request.POST)
    if form.is_valid() or "token" not in form.errors:
        return form
    data = request.POST.copy()
    data["token"] = booking_form_token_new()
    form = BookingContactForm(data)
    form.is_valid()
    form.add_error(None, TOKEN_EXPIRED)
    return form


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest, service: str, point: str, when: str) -> HttpResponse:
    service_obj = Service.objects.published().filter(slug=service).first()
    point_obj = ServicePoint.objects.published().filter(slug=point).first()
    start = slot_key_parse(when)
    if service_obj is None or point_obj is None or start is None:
        raise Http404
    if request.method == "POST":
        # The same form sent again (a double click, the back button, a reload): its token's
        # reference is already booked, so show that booking. Checked before the slot, which
        # the first sending may have filled.
        sent_before = appointment_for_reference(
            booking_form_token_reference(str(request.POST.get("token", ""))[:500])
        )
        if sent_before is not None:
            return _confirmation_redirect(sent_before)
    slot = slot_find(service=service_obj, service_point=point_obj, start=start)
    if slot is None or slot.free <= 0:
        return _unavailable(
            request, service=service_obj, point=point_obj, start=start, full=slot is not None
        )
    if request.method == "POST":
        form = _contact_form_bound(request)
    else:
        form = BookingContactForm(initial={"token": booking_form_token_new()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = appointment_book_slot(
                    service=service_obj,
                    service_point=point_obj,
                    start=slot.start,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    note=data["note"],
                    needs=[Need(n).value for n in data["needs"]],
                    language=_language(),
                    reference=form.reference,
                )
            except AlreadyBooked as exc:
                return _confirmation_redirect(exc.appointment)
            except SlotFull:
                return _unavailable(
                    request, service=service_obj, point=point_obj, start=start, full=True
                )
            except SlotUnavailable:
                return _unavailable(
                    request, service=service_obj, point=point_obj, start=start, full=False
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _confirmation_redirect(appointment)
        status = 400
    choose_url = reverse("booking:choose")
    return render(
        request,
        "visits/booking/contact.html",
        {
            "form": form,
            "service": service_obj,
            "point": point_obj,
            "slot": slot,
            "breadcrumbs": _crumbs((_("Book a time"), choose_url), (_("Your details"), None)),
            "back_url": choose_url
            + "?"
            + urlencode(
                {
                    "ydelse": service_obj.slug,
                    "sted": point_obj.slug,
                    "dato": slot.local_start.date(),
                }
            ),
        },
        status=status,
    )


# --- The citizen's appointment ----------------------------------------------------------------


def _appointment(token: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("service", "service_point")
        .filter(manage_token=token)
        .first()
        if token and len(token) <= 43
        else None
    )
    if appointment is None:
        raise Http404
    return appointment


def _changeable(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.BOOKED and appointment.start > timezone.now()


def _check_in_state(appointment: Appointment) -> dict | None:
    """What the citizen's page says about checking in: only on the day, and only where a queue
    serves the errand. None when there is nothing to say."""
    if appointment.status == AppointmentStatus.CHECKED_IN:
        ticket = Ticket.objects.filter(appointment=appointment).select_related("queue").first()
        return {"state": "checked_in", "ticket": ticket} if ticket else None
    now = timezone.now()
    if (
        appointment.status != AppointmentStatus.BOOKED
        or timezone.localdate(appointment.start) != timezone.localdate(now)
        or check_in_queue_for(appointment) is None
    ):
        return None
    opens, closes = check_in_window(appointment)
    state = "early" if now < opens else "late" if now > closes else "open"
    return {
        "state": state,
        "opens": timezone.localtime(opens),
        "closes": timezone.localtime(closes),
    }


def _render_appointment(
    request,
    appointment: Appointment,
    *,
    just_booked: bool,
    check_in_error: str = "",
    status: int = 200,
) -> HttpResponse:
    title = _("Your time is booked") if just_booked else _("Your appointment")
    response = render(
        request,
        "visits/booking/appointment.html",
        {
            "appointment": appointment,
            "check_in": _check_in_state(appointment),
            "check_in_error": check_in_error,
            "title": title,
            "just_booked": just_booked,
            "cancelled": appointment.status == AppointmentStatus.CANCELLED,
            "cancelled_now": request.GET.get("aflyst") == "1",
            "changeable": _changeable(appointment),
            "local_start": timezone.localtime(appointment.start),
            "local_end": timezone.localtime(appointment.end),
            "what_to_bring": appointment.service.what_to_bring_list(),
            "needs": [Need(n).label for n in appointment.needs if n in Need.values],
            "ics_url": ics_url(appointment),
            "breadcrumbs": _crumbs((_("Book a time"), reverse("booking:choose")), (title, None)),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    return _render_appointment(request, _appointment(token), just_booked=True)


@require_safe
def manage(request: HttpRequest, token: str) -> HttpResponse:
    return _render_appointment(request, _appointment(token), just_booked=False)


@require_safe
def ics(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    body = appointment_ics(
        appointment=appointment,
        manage_url=request.build_absolute_uri(
            reverse("booking:manage", kwargs={"token": appointment.manage_token})
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}.ics"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    if _changeable(appointment):
        try:
            appointment_cancel(appointment=appointment)
        except InvalidTransition:
            pass  # cancelled (or checked in) a moment ago: the page shows what it is now
    url = reverse("booking:manage", kwargs={"token": appointment.manage_token})
    return HttpResponseRedirect(url + "?aflyst=1")


@require_POST
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen says "I am here" on their own page: checked in on the day, in the window."""
    appointment = _appointment(token)
    try:
        ticket = citizen_check_in(appointment=appointment, service_point=appointment.service_point)
    except CheckInFailed as exc:
        return _render_appointment(
            request, appointment, just_booked=False, check_in_error=exc.message, status=400
        )
    return HttpResponseRedirect(ticket_page_url(ticket))


@require_http_methods(["GET", "HEAD", "POST"])
def move(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    manage_url = reverse("booking:manage", kwargs={"token": appointment.manage_token})
    if not _changeable(appointment):
        return HttpResponseRedirect(manage_url)
    service, point = appointment.service, appointment.service_point
    error, status = "", 200
    if request.method == "POST":
        start = slot_key_parse(str(request.POST.get("start", ""))[:20])
        if start is None or start == appointment.start:
            error, status = _("Choose a new time."), 400
        else:
            try:
                new = appointment_move(appointment=appointment, start=start)
            except SlotFull:
                error, status = _("Someone else has just booked this time. Choose another."), 409
            except SlotUnavailable:
                error, status = _("This time cannot be booked. Choose another."), 400
            except InvalidTransition:
                return HttpResponseRedirect(manage_url)
            else:
                return HttpResponseRedirect(
                    reverse("booking:confirmation", kwargs={"token": new.manage_token})
                )
    days = days_with_free_slots(service=service, service_point=point)
    day = _parse_date(str(request.GET.get("dato", ""))) or (days[0][0] if days else None)
    slots = [
        s
        for s in (free_slots_for(service=service, service_point=point, day=day) if day else [])
        if s.start != appointment.start
    ]
    return render(
        request,
        "visits/booking/move.html",
        {
            "appointment": appointment,
            "local_start": timezone.localtime(appointment.start),
            "days": [(d, free, "?" + urlencode({"dato": d})) for d, free in days],
            "day": day,
            "slots": slots,
            "error": error,
            "manage_url": manage_url,
            "breadcrumbs": _crumbs(
                (_("Your appointment"), manage_url), (_("Change the time"), None)
            ),
        },
        status=status,
    )
