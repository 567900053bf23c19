"""Staff pages at the desks under /personale/skranke/: sit down at a desk, call and serve tickets,
and the day view of a service point's tickets and appointments.

Clerks (visits.change_ticket) use the desks; clerks and managers (visits.view_ticket) see the day
view. Every action is a POST form that works without JavaScript and ends with a message; a ticket
that another desk took meanwhile gives a message, never an error page. Errands about sensitive
services are only named at private-room desks.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from indgang.inquiries.staff_views import staff_permission_required
from indgang.places.models import ServicePoint

from .booking import appointment_set_status
from .desk_services import (
    CheckInRefused,
    appointment_check_in,
    ticket_complete,
    ticket_no_show,
    ticket_transfer,
)
from .lifecycle import AppointmentStatus, InvalidTransition, Need, TicketStatus
from .models import Appointment, Desk, DeskSession, Queue, Ticket
from .services import desk_session_start, ticket_call_next, ticket_set_status
from .staff_forms import MAX_PK, CompleteForm, DayFilterForm, DeskStartForm, PointForm, TransferForm

AT_DESK = (TicketStatus.CALLED, TicketStatus.SERVING)


desk_user_required = staff_permission_required("visits.change_ticket")
day_view_required = staff_permission_required("visits.view_ticket")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Staff"), reverse("inquiries-staff:inbox")), *items]


def _open_session(user) -> DeskSession | None:
    return (
        DeskSession.objects.filter(user=user, ended_at__isnull=True)
        .select_related("desk__service_point")
        .prefetch_related("queues")
        .first()
    )


def _minutes(start, end) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds() // 60))


def _points_with(model) -> list[ServicePoint]:
    ids = model.objects.filter(active=True).values_list("service_point_id", flat=True)
    return ServicePoint.objects.filter(pk__in=ids).order_by("name")


def _default_point(request: HttpRequest, points) -> ServicePoint | None:
    last = (
        DeskSession.objects.filter(user=request.user, desk__service_point__in=points)
        .select_related("desk__service_point")
        .first()
    )
    if last is not None:
        return last.desk.service_point
    return points.first()


# Sitting down at a desk


def _picker_response(
    request: HttpRequest,
    *,
    point: ServicePoint | None,
    points,
    bound: DeskStartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    session = _open_session(request.user)
    desks = []
    if point is not None:
        occupied = {
            s.desk_id: s.user
            for s in DeskSession.objects.filter(
                desk__service_point=point, ended_at__isnull=True
            ).select_related("user")
        }
        desks_here = (
            Desk.objects.filter(service_point=point, active=True)
            .select_related("service_point")
            .prefetch_related("queues")
            .order_by("name")
        )
        for desk in desks_here:
            is_bound = bound is not None and bound.cleaned_data.get("desk") == desk
            form = bound if is_bound else DeskStartForm(desk=desk, auto_id=f"desk{desk.pk}_%s")
            desks.append({"desk": desk, "form": form, "occupant": occupied.get(desk.pk)})
    context = {
        "session": session,
        "point": point,
        "point_form": PointForm(initial={"point": point}, points=points),
        "desks": desks,
        "breadcrumbs": _crumbs((_("Desks"), None)),
        "staff_section": "desk",
    }
    return render(request, "visits/staff/pick.html", context, status=status)


@require_safe
@desk_user_required
def pick(request: HttpRequest) -> HttpResponse:
    points = _points_with(Desk)
    point = None
    if "point" in request.GET:
        form = PointForm(request.GET, points=points)
        if form.is_valid():
            point = form.cleaned_data["point"]
    if point is None:
        point = _default_point(request, points)
    return _picker_response(request, point=point, points=points)


@require_POST
@desk_user_required
def start(request: HttpRequest) -> HttpResponse:
    desk_pk = request.POST.get("desk", "")
    form = DeskStartForm(request.POST, auto_id=f"desk{desk_pk[:12]}_%s")
    if not form.is_valid():
        points = _points_with(Desk)
        desk = form.cleaned_data.get("desk")
        point = desk.service_point if desk else _default_point(request, points)
        if desk is None:
            messages.error(request, _("Choose one of the desks below."))
        return _picker_response(request, point=point, points=points, bound=form, status=400)
    desk, queues = form.cleaned_data["desk"], form.cleaned_data["queues"]
    try:
        desk_session_start(desk=desk, user=request.user, queues=queues)
    except IntegrityError:
        messages.error(
            request,
            _("Someone sat down at %(desk)s at the same moment. Try again.") % {"desk": desk.name},
        )
        return HttpResponseRedirect(
            reverse("visits-staff:pick") + "?" + urlencode({"point": desk.service_point.slug})
        )
    messages.success(
        request,
        _("You are at %(desk)s and serve %(queues)s.")
        % {"desk": desk.name, "queues": ", ".join(q.code for q in queues)},
    )
    return HttpResponseRedirect(reverse("visits-staff:desk"))


@require_POST
@desk_user_required
def end(request: HttpRequest) -> HttpResponse:
    session = _open_session(request.user)
    if session is None:
        messages.info(request, _("You were not at a desk."))
    else:
        DeskSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        messages.success(request, _("You have left %(desk)s.") % {"desk": session.desk.name})
    return HttpResponseRedirect(reverse("visits-staff:pick"))


# The desk page


def _current_ticket(desk: Desk) -> Ticket | None:
    return (
        Ticket.objects.filter(desk=desk, status__in=AT_DESK)
        .select_related("queue", "service", "appointment")
        .order_by("-called_at", "-pk")
        .first()
    )


def _waiting_counts(session: DeskSession) -> list[dict]:
    today = timezone.localdate()
    queues = (
        session.queues.filter(active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__status=TicketStatus.WAITING, tickets__day=today),
            ),
            waiting_sensitive=Count(
                "tickets",
                filter=Q(
                    tickets__status=TicketStatus.WAITING,
                    tickets__day=today,
                    tickets__sensitive=True,
                ),
            ),
        )
        .order_by("sort_order", "code")
    )
    private = session.desk.is_private
    return [
        {
            "queue": q,
            "waiting": q.waiting if private else q.waiting - q.waiting_sensitive,
            "private_only": 0 if private else q.waiting_sensitive,
        }
        for q in queues
    ]


def _needs_labels(needs) -> list[str]:
    labels = dict(Need.choices)
    return [str(labels[n]) for n in needs or () if n in labels]


def _desk_response(
    request: HttpRequest, session: DeskSession, *, status: int = 200, **bound
) -> HttpResponse:
    ticket = _current_ticket(session.desk)
    show_details = ticket is not None and (not ticket.sensitive or session.desk.is_private)
    context = {
        "session": session,
        "desk": session.desk,
        "ticket": ticket,
        "show_details": show_details,
        "wait_minutes": _minutes(ticket.issued_at, ticket.called_at) if ticket else None,
        "needs": _needs_labels(ticket.appointment.needs)
        if ticket and ticket.appointment_id and show_details
        else [],
        "queues": _waiting_counts(session),
        "transfer_form": bound.get("transfer_form")
        or (TransferForm(ticket=ticket) if ticket else None),
        "complete_form": bound.get("complete_form")
        or (
            CompleteForm(ticket=ticket)
            if ticket and ticket.status == TicketStatus.SERVING
            else None
        ),
        "breadcrumbs": _crumbs(
            (_("Desks"), reverse("visits-staff:pick")), (session.desk.name, None)
        ),
        "staff_section": "desk",
    }
    return render(request, "visits/staff/desk.html", context, status=status)


def _to_desk() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("visits-staff:desk"))


def _session_or_redirect(request: HttpRequest) -> DeskSession | HttpResponseRedirect:
    session = _open_session(request.user)
    if session is None:
        messages.info(request, _("Choose your desk and queues first."))
        return HttpResponseRedirect(reverse("visits-staff:pick"))
    return session


@require_safe
@desk_user_required
def desk(request: HttpRequest) -> HttpResponse:
    session = _session_or_redirect(request)
    if isinstance(session, HttpResponseRedirect):
        return session
    return _desk_response(request, session)


@require_POST
@desk_user_required
def call_next(request: HttpRequest) -> HttpResponse:
    session = _session_or_redirect(request)
    if isinstance(session, HttpResponseRedirect):
        return session
    current = _current_ticket(session.desk)
    if current is not None:
        messages.warning(
            request,
            _("%(number)s is still at your desk: finish it first.") % {"number": current.display},
        )
        return _to_desk()
    ticket = ticket_call_next(session=session)
    if ticket is None:
        messages.info(request, _("Nobody is waiting in your queues."))
    else:
        messages.success(
            request, _("%(number)s is called to your desk.") % {"number": ticket.display}
        )
    return _to_desk()


def _desk_ticket(request: HttpRequest, pk: int):
    """The session and the ticket now at its desk, or a redirect with a message."""
    session = _session_or_redirect(request)
    if isinstance(session, HttpResponseRedirect):
        return session, None
    ticket = (
        Ticket.objects.filter(pk=min(pk, MAX_PK), desk=session.desk, status__in=AT_DESK)
        .select_related("queue", "service", "desk")
        .first()
    )
    if ticket is None:
        messages.error(
            request,
            _(
                "That ticket is no longer at your desk: another desk may have taken it, or it is finished."
            ),
        )
        return _to_desk(), None
    return session, ticket


def _changed_meanwhile(request: HttpRequest, ticket: Ticket) -> HttpResponseRedirect:
    messages.error(
        request,
        _("%(number)s changed meanwhile; nothing was done. Look at the page again.")
        % {"number": ticket.display},
    )
    return _to_desk()


def _desk_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    """Run one status step on the ticket at the desk; `done` is the success message."""
    session, ticket = _desk_ticket(request, pk)
    if ticket is None:
        return session
    try:
        step(ticket=ticket, by=request.user, desk=session.desk)
    except InvalidTransition:
        return _changed_meanwhile(request, ticket)
    messages.success(request, done % {"number": ticket.display})
    return _to_desk()


@require_POST
@desk_user_required
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    step = functools.partial(ticket_set_status, status=TicketStatus.CALLED)
    return _desk_step(request, pk, step, _("%(number)s is called again."))


@require_POST
@desk_user_required
def begin(request: HttpRequest, pk: int) -> HttpResponse:
    step = functools.partial(ticket_set_status, status=TicketStatus.SERVING)
    return _desk_step(request, pk, step, _("You are serving %(number)s."))


@require_POST
@desk_user_required
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _desk_step(request, pk, ticket_no_show, _("%(number)s is marked as not come."))


@require_POST
@desk_user_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    session, ticket = _desk_ticket(request, pk)
    if ticket is None:
        return session
    form = TransferForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _desk_response(request, session, status=400, transfer_form=form)
    old = ticket.display
    try:
        ticket_transfer(ticket=ticket, queue=form.cleaned_data["queue"], by=request.user)
    except (InvalidTransition, ValueError):
        return _changed_meanwhile(request, ticket)
    messages.success(
        request,
        _("%(old)s is moved to queue %(queue)s as %(new)s: tell the citizen the new number.")
        % {"old": old, "queue": ticket.queue.name, "new": ticket.display},
    )
    return _to_desk()


@require_POST
@desk_user_required
def served(request: HttpRequest, pk: int) -> HttpResponse:
    session, ticket = _desk_ticket(request, pk)
    if ticket is None:
        return session
    form = CompleteForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _desk_response(request, session, status=400, complete_form=form)
    try:
        ticket_complete(ticket=ticket, by=request.user, **form.outcome())
    except InvalidTransition:
        messages.error(
            request,
            _("%(number)s cannot be completed now: start serving it first.")
            % {"number": ticket.display},
        )
        return _to_desk()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _desk_response(request, session, status=400, complete_form=form)
    messages.success(
        request, _("%(number)s is served and registered.") % {"number": ticket.display}
    )
    return _to_desk()


# The day view


def _day_url(point: ServicePoint | None, desk_pk: str = "") -> str:
    query = {"point": point.slug} if point else {}
    if desk_pk:
        query["desk"] = desk_pk
    return reverse("visits-staff:day") + ("?" + urlencode(query) if query else "")


@require_safe
@day_view_required
def day(request: HttpRequest) -> HttpResponse:
    points = _points_with(Queue)
    slug = request.GET.get("point", "")[:100]
    point = points.filter(slug=slug).first() if slug else None
    if point is None:
        point = _default_point(request, points)
    desk_pk = request.GET.get("desk", "")
    chosen_desk = None
    if point is not None and desk_pk.isdigit() and len(desk_pk) < 10:
        chosen_desk = Desk.objects.filter(service_point=point, pk=int(desk_pk)).first()
    form = DayFilterForm(initial={"point": point, "desk": chosen_desk}, points=points, point=point)
    now = timezone.now()
    today = timezone.localdate()
    rows, appointments = [], []
    if point is not None:
        tickets = (
            Ticket.objects.filter(queue__service_point=point, day=today)
            .select_related("queue", "service", "desk")
            .order_by("issued_at", "pk")
        )
        if chosen_desk is not None:
            tickets = tickets.filter(desk=chosen_desk)
        for ticket in tickets:
            rows.append(
                {
                    "ticket": ticket,
                    "wait": _minutes(
                        ticket.issued_at,
                        ticket.called_at
                        or (now if ticket.status == TicketStatus.WAITING else None),
                    ),
                    "handling": _minutes(ticket.started_at, ticket.ended_at),
                }
            )
        for appointment in (
            Appointment.objects.filter(service_point=point, start__date=today)
            .select_related("service")
            .order_by("start", "pk")
        ):
            appointments.append(
                {
                    "appointment": appointment,
                    "needs": _needs_labels(appointment.needs),
                    "can_check_in": appointment.status == AppointmentStatus.BOOKED,
                    "can_no_show": appointment.status == AppointmentStatus.BOOKED
                    and appointment.start < now,
                }
            )
    context = {
        "form": form,
        "point": point,
        "chosen_desk": chosen_desk,
        "rows": rows,
        "appointments": appointments,
        "today": today,
        "may_check_in": request.user.has_perm("visits.change_appointment"),
        "back": _day_url(point, str(chosen_desk.pk) if chosen_desk else ""),
        "breadcrumbs": _crumbs((_("Desks"), reverse("visits-staff:pick")), (_("The day"), None)),
        "staff_section": "day",
    }
    return render(request, "visits/staff/day.html", context)


def _appointment_action(request: HttpRequest, pk: int) -> Appointment:
    if not request.user.has_perm("visits.change_appointment"):
        raise PermissionDenied
    appointment = (
        Appointment.objects.filter(pk=min(pk, MAX_PK)).select_related("service_point").first()
    )
    if appointment is None:
        raise Http404
    return appointment


def _back_to_day(request: HttpRequest, appointment: Appointment) -> HttpResponseRedirect:
    desk_pk = request.POST.get("desk", "")
    return HttpResponseRedirect(
        _day_url(appointment.service_point, desk_pk if desk_pk.isdigit() else "")
    )


@require_POST
@day_view_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_action(request, pk)
    try:
        ticket = appointment_check_in(appointment=appointment)
    except InvalidTransition as exc:
        messages.error(
            request,
            _("%(name)s's appointment cannot be checked in: it is “%(status)s”.")
            % {"name": appointment.name, "status": AppointmentStatus(exc.current).label},
        )
    except CheckInRefused as exc:
        if exc.reason == CheckInRefused.NOT_TODAY:
            text = _("%(name)s's appointment is not today, so it cannot be checked in.")
        else:
            text = _("No queue here serves %(name)s's errand. Add the service to a queue first.")
        messages.error(request, text % {"name": appointment.name})
    else:
        messages.success(
            request,
            _("%(name)s is checked in with number %(number)s.")
            % {"name": appointment.name, "number": ticket.display},
        )
    return _back_to_day(request, appointment)


@require_POST
@day_view_required
def appointment_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_action(request, pk)
    if appointment.start >= timezone.now():
        messages.error(
            request,
            _("%(name)s's appointment has not begun yet.") % {"name": appointment.name},
        )
        return _back_to_day(request, appointment)
    try:
        appointment_set_status(appointment=appointment, status=AppointmentStatus.NO_SHOW)
    except InvalidTransition as exc:
        messages.error(
            request,
            _("%(name)s's appointment cannot be marked as not come: it is “%(status)s”.")
            % {"name": appointment.name, "status": AppointmentStatus(exc.current).label},
        )
    else:
        messages.success(request, _("%(name)s is marked as not come.") % {"name": appointment.name})
    return _back_to_day(request, appointment)
