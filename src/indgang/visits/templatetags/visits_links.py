"""Links into visits from other apps' public pages, so places and catalogue need not know about
queues and bookings: `{% load visits_links %}` then `{% point_visit_links point %}` on a service
point's page and `{% service_booking_link service %}` on a service's page."""

from __future__ import annotations

from django import template
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode

from indgang.catalogue.models import Service
from indgang.places.models import ServicePoint
from indgang.places.models.points import PHYSICAL_KINDS

from ..models import Queue
from ..slots import bookable_offerings

register = template.Library()


@register.inclusion_tag("visits/links/_point.html")
def point_visit_links(point: ServicePoint) -> dict:
    """Take a number from the web and check in (when the point has an open queue), and book a
    time (when it takes bookings for some service). One query."""
    found = (
        ServicePoint.objects.filter(pk=point.pk, published=True)
        .annotate(
            has_queue=Exists(Queue.objects.filter(service_point=OuterRef("pk"), active=True)),
            takes_bookings=Exists(bookable_offerings().filter(service_point=OuterRef("pk"))),
        )
        .values("has_queue", "takes_bookings")
        .first()
    ) or {"has_queue": False, "takes_bookings": False}
    has_queue = found["has_queue"] and point.kind in PHYSICAL_KINDS
    takes_bookings = found["takes_bookings"]
    return {
        "point": point,
        "queue_url": reverse("visits:web_queue", kwargs={"slug": point.slug}) if has_queue else "",
        "check_in_url": (
            reverse("visits:check_in", kwargs={"slug": point.slug})
            if has_queue and takes_bookings
            else ""
        ),
        "booking_url": (
            reverse("booking:choose") + "?" + urlencode({"sted": point.slug})
            if takes_bookings
            else ""
        ),
    }


@register.inclusion_tag("visits/links/_service.html")
def service_booking_link(service: Service) -> dict:
    """Book a time for the service, when at least one service point takes bookings for it."""
    bookable = service.is_published and bookable_offerings().filter(service=service).exists()
    return {
        "service": service,
        "booking_url": (
            reverse("booking:choose") + "?" + urlencode({"ydelse": service.slug})
            if bookable
            else ""
        ),
    }
