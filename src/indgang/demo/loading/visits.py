"""Queues, desks and booking windows at the demo's physical service points.

At the town hall: A for passports and driving licences, B for everything else offered there, C
for sensitive errands (called only to the private room); three counters, an assisted self-service
station and a private room, each with its usual queues. At each library: one queue and one
assisted self-service station. Every physical point gets a booking policy. Rows are matched by
service point and code or name, and only saved when something changed.
"""

from __future__ import annotations

from indgang.places.models import ServicePoint, ServicePointKind
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import BookingPolicy, Desk, Queue

from ..records import upsert

TOWN_HALL = "raadhuset"
PASSPORTS = ("pas", "koerekort", "legitimationskort")
# (code, name, which services: "passports" | "other" | "sensitive" | "all")
TOWN_HALL_QUEUES = (
    ("A", "Pas og kørekort", "passports"),
    ("B", "Øvrige henvendelser", "other"),
    ("C", "Sundhed og sociale sager", "sensitive"),
)
# (name, kind, usual queues)
TOWN_HALL_DESKS = (
    ("Skranke 1", DeskKind.COUNTER, ("A",)),
    ("Skranke 2", DeskKind.COUNTER, ("A", "B")),
    ("Skranke 3", DeskKind.COUNTER, ("B",)),
    ("Medbetjening", DeskKind.STATION, ("B",)),
    ("Samtalerum", DeskKind.PRIVATE_ROOM, ("C", "B")),
)
LIBRARY_QUEUES = (("A", "Hjælp til selvbetjening", "all"),)
LIBRARY_DESKS = (("Medbetjening", DeskKind.STATION, ("A",)),)


def _services_for(point: ServicePoint, which: str) -> set[int]:
    offered = {
        o.service_id: (o.service.slug, o.service.sensitive)
        for o in point.offerings.select_related("service")
    }
    if which == "passports":
        return {pk for pk, (slug, _) in offered.items() if slug in PASSPORTS}
    if which == "other":
        return {pk for pk, (slug, s) in offered.items() if slug not in PASSPORTS and not s}
    if which == "sensitive":
        return {pk for pk, (_, s) in offered.items() if s}
    return {pk for pk, (_, s) in offered.items() if not s}


def _set_if_changed(manager, wanted: set[int]) -> None:
    """Set a many-to-many only when it differs: every change is kept in the change history."""
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(wanted)


def _point_load(point: ServicePoint, queues, desks) -> None:
    by_code = {}
    for order, (code, name, which) in enumerate(queues, start=1):
        queue = upsert(
            Queue,
            lookup={"service_point": point, "code": code},
            values={"name": name, "sort_order": order * 10, "active": True},
            label=f"queue {code} at {point.slug}",
        )
        _set_if_changed(queue.services, _services_for(point, which))
        by_code[code] = queue
    for name, kind, usual in desks:
        desk = upsert(
            Desk,
            lookup={"service_point": point, "name": name},
            values={"kind": kind, "active": True},
            label=f"desk {name!r} at {point.slug}",
        )
        _set_if_changed(desk.queues, {by_code[c].pk for c in usual if c in by_code})


def demo_visits_load(*, points: dict[str, ServicePoint] | None = None) -> None:
    """Queues and desks at the town hall and the libraries; a booking policy per physical point."""
    physical = ServicePoint.objects.filter(
        kind__in=(ServicePointKind.TOWN_HALL, ServicePointKind.LIBRARY)
    ).order_by("slug")
    if points is not None:
        physical = physical.filter(pk__in=[p.pk for p in points.values()])
    for point in physical:
        if point.kind == ServicePointKind.TOWN_HALL:
            _point_load(point, TOWN_HALL_QUEUES, TOWN_HALL_DESKS)
        else:
            _point_load(point, LIBRARY_QUEUES, LIBRARY_DESKS)
        upsert(
            BookingPolicy,
            lookup={"service_point": point},
            values={},
            label=f"booking policy at {point.slug}",
        )
