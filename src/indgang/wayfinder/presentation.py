"""What the wayfinder's results page shows: the answer card, alternatives and life events.

Reads the catalogue and places through their own selectors and presentation helpers (opening
hours, "open now") and arranges them around the engine's `Answer`. The number of database
queries does not depend on how many services or service points there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from indgang.catalogue.models import LifeEvent, Service
from indgang.catalogue.selectors import life_events_for_service
from indgang.places.models import ServiceOffering, ServicePointKind
from indgang.places.models.points import REMOTE_KINDS
from indgang.places.presentation import PointSummary, summarise_points
from indgang.places.selectors import service_offerings_for_service, service_point_list

from .results import Answer

# At most this many other services are offered below the answer (or instead of it).
MAX_ALTERNATIVES = 5


class WayKind(StrEnum):
    """Ways to get a service done, in the order the card offers them: digital first."""

    ONLINE = "online"
    PHONE = "phone"
    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"
    LIBRARY = "library"


@dataclass(frozen=True)
class Place:
    """A service point that offers the service, with how (the offering) and its status now."""

    offering: ServiceOffering
    summary: PointSummary


@dataclass(frozen=True)
class Way:
    kind: WayKind
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class AnswerCard:
    """The best service for the query and the fastest ways to get it done now."""

    service: Service
    ways: tuple[Way, ...]
    what_to_bring: tuple[str, ...]

    @property
    def handler(self):
        return self.service.handler


@dataclass(frozen=True)
class AnswerPage:
    answer: Answer
    card: AnswerCard | None
    # Other services that may fit: below the card, or as "maybe you mean" when not confident.
    alternatives: tuple[Service, ...] = ()
    life_events: tuple[LifeEvent, ...] = ()
    # Phone and chat with their status now, offered when the wayfinder is not sure.
    humans: tuple[PointSummary, ...] = field(default=())

    @property
    def confident(self) -> bool:
        return self.card is not None


def _ways(service: Service, places: list[Place]) -> tuple[Way, ...]:
    """The ways to get `service` done, fastest first: online, phone, counter, booking, library."""
    remote = [p for p in places if p.summary.point.is_remote]
    libraries = [p for p in places if p.summary.point.kind == ServicePointKind.LIBRARY]
    counters = [
        p
        for p in places
        if not p.summary.point.is_remote and p.summary.point.kind != ServicePointKind.LIBRARY
    ]
    ways: list[Way] = []
    if service.self_service_url:
        ways.append(Way(WayKind.ONLINE))
    if remote or service.by_phone:
        # Without a phone line or chat offering the service, the handler's own phone is shown.
        ways.append(Way(WayKind.PHONE, tuple(remote)))
    walk_in = tuple(p for p in counters if p.offering.walk_in)
    if walk_in:
        ways.append(Way(WayKind.WALK_IN, walk_in))
    by_appointment = tuple(p for p in counters if p.offering.by_appointment)
    if by_appointment:
        ways.append(Way(WayKind.APPOINTMENT, by_appointment))
    if libraries:
        ways.append(Way(WayKind.LIBRARY, tuple(libraries)))
    return tuple(ways)


def answer_card_build(*, service: Service, now: dt.datetime) -> AnswerCard:
    offerings = service_offerings_for_service(service=service)
    summaries = {
        s.point.pk: s for s in summarise_points((o.service_point for o in offerings), now=now)
    }
    places = [Place(offering=o, summary=summaries[o.service_point_id]) for o in offerings]
    return AnswerCard(
        service=service,
        ways=_ways(service, places),
        what_to_bring=tuple(service.what_to_bring_list()),
    )


def answer_page_build(*, answer: Answer, now: dt.datetime | None = None) -> AnswerPage:
    """Everything the results page shows for `answer`, in a fixed number of queries."""
    now = now or timezone.now()
    ids = [m.service_id for m in answer.matches]
    services: dict[int, Service] = {}
    if ids:
        services = {
            s.pk: s
            for s in Service.objects.published()
            .select_related("kle", "department", "authority")
            .filter(pk__in=ids)
        }
    # The engine's index may lag a moment behind the catalogue: skip what is no longer published.
    best = services.get(answer.best.service_id) if answer.best else None
    if answer.confident and best is not None:
        others = [services.get(m.service_id) for m in answer.alternatives]
        return AnswerPage(
            answer=answer,
            card=answer_card_build(service=best, now=now),
            alternatives=tuple(s for s in others if s is not None)[:MAX_ALTERNATIVES],
            life_events=tuple(life_events_for_service(service=best)),
        )
    maybe = [services.get(m.service_id) for m in answer.matches]
    remote = [p for p in service_point_list() if p.kind in REMOTE_KINDS]
    return AnswerPage(
        answer=answer,
        card=None,
        alternatives=tuple(s for s in maybe if s is not None)[:MAX_ALTERNATIVES],
        humans=tuple(summarise_points(remote, now=now)),
    )
