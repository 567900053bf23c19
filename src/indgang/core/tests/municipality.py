"""A small fictional municipality for page tests: every kind of service point and page content.

Built with the factories so tests stay fast and independent of the full demo data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase

from indgang.catalogue.models import LifeEvent, Service
from indgang.catalogue.tests.factories import (
    AuthorityFactory,
    DepartmentFactory,
    KleEntryFactory,
    LifeEventFactory,
    LifeEventStepFactory,
    ServiceFactory,
)
from indgang.places.models import ServiceOffering, ServicePoint, ServicePointKind, WeeklyHours
from indgang.places.tests.factories import (
    BusStopFactory,
    ClosingDayFactory,
    HoursExceptionFactory,
    ServicePointFactory,
    SpecialPeriodFactory,
)

WEEKDAYS = range(5)
NO_ADDRESS = {"street_address": "", "postcode": "", "city": ""}


@dataclass
class Municipality:
    passport: Service
    housing_benefit: Service
    moving: Service
    draft_service: Service
    moving_event: LifeEvent
    draft_event: LifeEvent
    town_hall: ServicePoint
    library: ServicePoint
    bus: ServicePoint
    phone: ServicePoint
    chat: ServicePoint
    hidden_point: ServicePoint


def _week(point: ServicePoint, periods: dict[int, list[tuple[str, str]]], stop=None) -> None:
    for weekday, spans in periods.items():
        for opens, closes in spans:
            WeeklyHours.objects.create(
                service_point=point,
                stop=stop,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
            )


def _services() -> dict[str, Service]:
    borgerservice = DepartmentFactory(
        slug="borgerservice",
        name="Borgerservice",
        phone="70 10 20 30",
        phone_hours="Mandag–fredag 9–15",
        email="borgerservice@fjordby.example",
        website="https://fjordby.example/borgerservice",
    )
    udbetaling = AuthorityFactory(
        slug="udbetaling-danmark",
        name="Udbetaling Danmark",
        phone="70 12 80 63",
        phone_hours="Mandag–fredag 9–15",
        website="https://www.borger.dk/",
    )
    services = {
        "passport": ServiceFactory(
            slug="pas",
            title="Pas",
            summary="Sådan søger du om nyt pas til voksne og børn.",
            about="Et pas er dit bevis på, at du er dansk statsborger.",
            eligibility="Alle danske statsborgere.",
            how_to="Bestil tid, og mød op personligt i Borgerservice.",
            kle=KleEntryFactory(number="23.09.02", title="Pas"),
            department=borgerservice,
            by_appointment=True,
            walk_in=False,
            what_to_bring="Dit gamle pas\nSygesikringskort",
            fee="Voksne 18–65 år: 763 kr.",
            processing_days=21,
            keywords="rejse, id, passport",
        ),
        "housing_benefit": ServiceFactory(
            slug="boligstoette",
            title="Boligstøtte",
            authority=udbetaling,
            department=None,
            summary="Hjælp til huslejen, hvis du har en lav indkomst.",
            self_service_url="https://www.borger.dk/bolig-og-flytning/boligstoette",
            by_phone=True,
            processing_note="Udbetaling Danmark behandler sagen inden for 4 uger.",
            sensitive=True,
            keywords="husleje, boligydelse",
        ),
        "moving": ServiceFactory(
            slug="flytning",
            title="Flytning – meld flytning",
            department=borgerservice,
            summary="Meld flytning senest 5 dage efter, at du er flyttet.",
            self_service_url="https://www.borger.dk/flytning",
            walk_in=True,
        ),
        "draft_service": ServiceFactory(slug="kladde", title="Kladde til ny ydelse", draft=True),
    }
    # Titles that test the Danish alphabet: Æ, Ø and Å come last.
    for slug, title in [
        ("aeldrebolig", "Ældrebolig"),
        ("oekonomisk-fripladstilskud", "Økonomisk fripladstilskud"),
        ("aabent-bibliotek", "Åbent bibliotek"),
    ]:
        ServiceFactory(
            slug=slug,
            title=title,
            department=borgerservice,
            summary="En ydelse, der viser den danske alfabetiske orden.",
        )
    return services


def _life_events(s: dict[str, Service]) -> tuple[LifeEvent, LifeEvent]:
    moving_event = LifeEventFactory(
        slug="flytning", title="Du skal flytte", summary="Det skal du gøre, når du flytter."
    )
    LifeEventStepFactory(
        life_event=moving_event,
        service=s["moving"],
        position=1,
        title="Meld flytning",
        automatic_note="Din læge bliver den samme, hvis du flytter inden for kommunen.",
    )
    LifeEventStepFactory(
        life_event=moving_event, service=s["housing_benefit"], position=2, title="Søg boligstøtte"
    )
    LifeEventStepFactory(
        life_event=moving_event,
        service=s["draft_service"],
        position=3,
        title="Et trin uden offentlig side",
    )
    return moving_event, LifeEventFactory(slug="kladde-livssituation", draft=True)


def _town_hall(today: dt.date) -> ServicePoint:
    town_hall = ServicePointFactory(
        slug="borgerservice-raadhuset",
        name="Borgerservice på Rådhuset",
        kind=ServicePointKind.TOWN_HALL,
        street_address="Torvet 1",
        postcode="4990",
        city="Fjordby",
        sort_order=1,
        latitude=Decimal("54.834500"),
        longitude=Decimal("11.135200"),
        directions="Indgangen er fra Torvet. Tag elevatoren til 1. sal.",
        step_free_access=True,
        parking=True,
        disabled_parking=True,
        hearing_loop=True,
        private_room=True,
        public_transport="Bus 12 og 14 stopper 50 m fra indgangen.",
        phone="70 10 20 30",
        email="borgerservice@fjordby.example",
    )
    ordinary = [("10:00", "14:00")]
    split_shift = [("10:00", "12:00"), ("14:00", "17:30")]
    _week(
        town_hall, {0: ordinary, 1: ordinary, 2: ordinary, 3: split_shift, 4: [("10:00", "13:00")]}
    )
    HoursExceptionFactory(
        service_point=town_hall,
        starts_on=today + dt.timedelta(days=1),
        closed=True,
        note="Lukket på grund af personalemøde.",
    )
    return town_hall


def _library(today: dt.date) -> ServicePoint:
    library = ServicePointFactory(
        slug="biblioteket-strandby",
        name="Biblioteket i Strandby",
        kind=ServicePointKind.LIBRARY,
        street_address="Havnegade 3",
        postcode="4991",
        city="Strandby",
        sort_order=2,
        latitude=Decimal("54.9"),
        longitude=Decimal("11.2"),
        self_service_pcs=4,
        step_free_access=True,
    )
    _week(library, {1: [("13:00", "16:00")], 3: [("09:00", "12:00")]})
    extra = HoursExceptionFactory(
        service_point=library,
        starts_on=today + dt.timedelta(days=2),
        closed=False,
        note="Ekstra åbent før jul.",
    )
    SpecialPeriodFactory(exception=extra, opens=dt.time(9), closes=dt.time(15))
    return library


def _bus() -> ServicePoint:
    bus = ServicePointFactory(
        slug="borgerbussen",
        name="Borgerbussen",
        kind=ServicePointKind.CITIZEN_BUS,
        sort_order=3,
        summary="Borgerservice på hjul, i landsbyerne hver uge.",
        **NO_ADDRESS,
    )
    timetable = [
        ("Skovlund Forsamlingshus", 1, "09:00", "11:00"),
        ("Brugsen i Vesterby", 3, "13:00", "15:30"),
    ]
    for i, (name, weekday, opens, closes) in enumerate(timetable):
        stop = BusStopFactory(
            service_point=bus,
            name=name,
            street_address=f"Byvej {i + 1}",
            postcode="4992",
            city="Vesterby",
            latitude=Decimal("54.95"),
            longitude=Decimal("11.3"),
            sort_order=i,
        )
        _week(bus, {weekday: [(opens, closes)]}, stop=stop)
    return bus


def build_municipality(*, today: dt.date | None = None) -> Municipality:
    today = today or dt.date(2026, 12, 21)
    s = _services()
    moving_event, draft_event = _life_events(s)
    ClosingDayFactory(name="Juleaftensdag", month=12, day=24)
    town_hall, library, bus = _town_hall(today), _library(today), _bus()
    phone = ServicePointFactory(
        slug="telefon",
        name="Ring til Borgerservice",
        sort_order=4,
        kind=ServicePointKind.PHONE,
        phone="70 10 20 30",
        **NO_ADDRESS,
    )
    _week(phone, {d: [("09:00", "15:00")] for d in WEEKDAYS})
    chat = ServicePointFactory(
        slug="chat",
        name="Chat med Borgerservice",
        sort_order=5,
        kind=ServicePointKind.CHAT,
        chat_url="https://fjordby.example/chat",
        **NO_ADDRESS,
    )
    _week(chat, {d: [("09:00", "14:00")] for d in WEEKDAYS})
    hidden_point = ServicePointFactory(slug="lukket-filial", name="Lukket filial", published=False)

    for point, service, walk_in, by_appointment in [
        (town_hall, s["passport"], False, True),
        (town_hall, s["moving"], True, False),
        (library, s["moving"], True, True),
        (phone, s["housing_benefit"], True, False),
        (bus, s["passport"], True, False),
        (town_hall, s["draft_service"], True, False),
    ]:
        ServiceOffering.objects.create(
            service_point=point, service=service, walk_in=walk_in, by_appointment=by_appointment
        )
    return Municipality(
        **s,
        moving_event=moving_event,
        draft_event=draft_event,
        town_hall=town_hall,
        library=library,
        bus=bus,
        phone=phone,
        chat=chat,
        hidden_point=hidden_point,
    )


# Monday 21 December 2026, 11:00 in Copenhagen: the town hall is open until 14:00, closed the next
# day (an exception), and Christmas is in the coming week.
MONDAY_BEFORE_CHRISTMAS = dt.datetime(2026, 12, 21, 11, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@time_machine.travel(MONDAY_BEFORE_CHRISTMAS, tick=False)
class PageTestCase(TestCase):
    """Base for page tests: the small municipality above, at a fixed moment."""

    @classmethod
    def setUpTestData(cls):
        cls.m = build_municipality(today=MONDAY_BEFORE_CHRISTMAS.date())
