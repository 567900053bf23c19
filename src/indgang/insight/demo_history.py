"""A year of made-up but true-looking contacts for the demo municipality, so every chart,
forecast and staffing plan has something to show before real contacts exist in volume.

The shape follows what Danish citizen services report:
- phone and chat are busiest on Monday mornings and right after opening;
- counters, appointments and assisted self-service only happen while each service point is open,
  read from its real opening hours (holidays, closing days and exceptions included), and busier
  before lunch and on the Thursday late opening;
- passports and driving licences peak before the summer holidays and before Christmas, tax before
  the preliminary assessment deadline, school enrolment in January, snow clearing in winter;
- July and the week between Christmas and New Year are quiet;
- assisted contacts slowly go down over the year and self-service goes up;
- waiting grows with load, some callers give up, some booked citizens do not come;
- written inquiries are answered by the promised date about nine times in ten.

Everything comes from one `random.Random(seed)`, walking services and service points in a fixed
order, so the same seed and `today` give the same rows. Rows are `source=demo`: generating again
replaces them and leaves real and imported contacts alone.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from indgang.catalogue.models import Service
from indgang.inquiries.lifecycle import SelfServiceObstacle
from indgang.lib.progress import Progress
from indgang.lib.workdays import add_working_days
from indgang.places.hours import Schedule
from indgang.places.models import ServicePoint, ServicePointKind
from indgang.places.selectors import closing_day_rules, service_point_schedule
from indgang.visits.models import Queue

from .models import Contact, ContactChannel, ContactOutcome, ContactSource
from .services import contacts_insert_many

DEFAULT_DAYS = 365
DEFAULT_SEED = 1
BATCH_SIZE = 2000
BIN_MINUTES = 15
# Promised answer time for written inquiries when the service promises none (as inquiries do).
DEFAULT_ANSWER_WORKING_DAYS = 10
DEADLINE_MET_SHARE = 0.9

# -- how popular each service is (relative), and its seasons -----------------------------------

POPULARITY = {
    "pas": 10.0,
    "koerekort": 6.0,
    "flytning": 6.0,
    "mitid": 6.0,
    "sundhedskort": 5.0,
    "digital-post": 4.0,
    "folkepension": 3.0,
    "boligstoette": 3.0,
    "forskudsopgoerelse": 3.0,
    "laegevalg": 3.0,
    "nemkonto": 2.0,
    "cpr-registrering": 2.0,
    "eu-sygesikringskort": 2.0,
    "kontanthjaelp": 2.0,
    "dagrenovation": 2.0,
    "storskrald": 2.0,
    "ejendomsskat": 2.0,
    "foraeldrebetaling": 2.0,
    "legitimationskort": 1.5,
    "fritagelse-selvbetjening": 1.5,
    "skoleindskrivning": 1.0,
    "dagtilbud": 1.5,
    "sygedagpenge": 1.5,
    "jobcenter-tilmelding": 1.5,
    "snerydning": 1.0,
    "varmetillaeg": 1.0,
}
DEFAULT_POPULARITY = 0.6

# (centre day of year, width in days, extra share at the centre)
_Bump = tuple[int, int, float]
SEASONS: dict[str, tuple[_Bump, ...]] = {
    # before the summer holidays, and before Christmas
    "pas": ((135, 30, 1.1), (327, 14, 0.5)),
    "koerekort": ((140, 30, 0.6), (327, 14, 0.3)),
    "legitimationskort": ((135, 30, 0.6),),
    "forskudsopgoerelse": ((74, 12, 2.0), (324, 10, 1.0)),
    "skoleindskrivning": ((20, 12, 2.5),),
    "dagtilbud": ((20, 20, 0.8), (220, 15, 0.6)),
    "flytning": ((213, 20, 0.5),),
    "snerydning": ((20, 25, 3.0),),
    "varmetillaeg": ((15, 30, 0.8),),
    "storskrald": ((105, 20, 0.8),),
    "valgkort": ((320, 7, 1.5),),
}
# Every channel is quieter in the July holidays and between Christmas and New Year.
QUIET_SEASONS: tuple[_Bump, ...] = ((198, 16, -0.35), (361, 4, -0.45))

WEEKDAYS_OFFICE = (1.2, 1.0, 0.95, 0.9, 1.05, 0.8, 0.8)
WEEKDAYS_PHONE = (1.35, 1.05, 0.95, 0.95, 0.8, 0.8, 0.8)
WEEKDAYS_CHAT = (1.2, 1.05, 1.0, 1.0, 0.9, 0.8, 0.8)
WEEKDAYS_WRITTEN = (1.25, 1.05, 1.05, 1.0, 0.9, 0.45, 0.55)
WEEKDAYS_SELF_SERVICE = (1.2, 1.1, 1.05, 1.0, 0.85, 0.45, 0.55)

# Relative arrivals by local hour of the day.
HOURS_PHONE = {8: 0.9, 9: 1.0, 10: 0.85, 11: 0.7, 12: 0.5, 13: 0.55, 14: 0.5, 15: 0.4, 16: 0.35}
HOURS_COUNTER = {
    9: 0.6,
    10: 0.8,
    11: 1.0,
    12: 0.9,
    13: 0.75,
    14: 0.65,
    15: 0.75,
    16: 0.8,
    17: 0.6,
}
HOURS_CHAT = {9: 0.8, 10: 1.0, 11: 1.0, 12: 0.8, 13: 0.9, 14: 0.8, 15: 0.7, 16: 0.6}
HOURS_FLAT: dict[int, float] = {}
HOURS_WEB = (
    0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.25, 0.55, 0.85, 1.0, 1.0, 0.95,
    0.9, 0.95, 0.95, 0.9, 0.8, 0.7, 0.7, 0.85, 0.9, 0.8, 0.55, 0.3,
)  # fmt: skip
HOURS_EMAIL = (
    0.1, 0.05, 0.03, 0.03, 0.03, 0.06, 0.2, 0.6, 1.0, 1.0, 0.95, 0.9,
    0.85, 0.9, 0.9, 0.8, 0.6, 0.45, 0.4, 0.45, 0.5, 0.4, 0.3, 0.2,
)  # fmt: skip
HOURS_SOCIAL = tuple(
    0.05 if h < 7 else (0.6 if h < 9 else 1.0 if h < 22 else 0.3) for h in range(24)
)


@dataclass(frozen=True)
class Waiting:
    """Waiting and handling in a channel where the citizen waits to be served."""

    wait_share: float  # share of contacts that wait at all at normal load
    wait_mean: float  # seconds, for those who wait, at normal load
    patience_mean: float  # seconds before giving up (exponential); 0: nobody gives up
    handle_mean: float  # seconds, before the service's own factor
    resolved_share: float  # resolved on first contact
    no_show_share: float = 0.0


PHONE = Waiting(0.35, 90, 240, 240, 0.78)
CHAT = Waiting(0.4, 120, 420, 480, 0.72)
COUNTER = Waiting(0.7, 420, 5400, 540, 0.86, no_show_share=0.02)
APPOINTMENT = Waiting(0.4, 150, 0, 0, 0.9, no_show_share=0.07)
ASSISTED = Waiting(0.6, 360, 3600, 900, 0.82)

# Per open hour of the point (phone and chat: of the line), before weekday, season and trend.
RATES_PER_OPEN_HOUR = {
    ServicePointKind.TOWN_HALL: {
        ContactChannel.COUNTER: 14.0,
        ContactChannel.APPOINTMENT: 9.0,
        ContactChannel.ASSISTED: 2.0,
    },
    ServicePointKind.LIBRARY: {ContactChannel.COUNTER: 4.0, ContactChannel.ASSISTED: 2.5},
    ServicePointKind.CITIZEN_BUS: {ContactChannel.COUNTER: 3.0},
    ServicePointKind.PHONE: {ContactChannel.PHONE: 30.0},
    ServicePointKind.CHAT: {ContactChannel.CHAT: 7.0},
}
# Written channels: per day on a Monday-to-Friday average, before weekday, season and trend.
WRITTEN_PER_DAY = {
    ContactChannel.WEB: (60.0, WEEKDAYS_WRITTEN, HOURS_WEB),
    ContactChannel.EMAIL: (35.0, WEEKDAYS_WRITTEN, HOURS_EMAIL),
    ContactChannel.SOCIAL: (6.0, WEEKDAYS_WRITTEN, HOURS_SOCIAL),
}
LETTERS_PER_DAY = 4.0
# Completions per unit of popularity per day, for services with self-service.
SELF_SERVICE_PER_POPULARITY = 8.0
# Over the whole period: assisted contacts fall by this share, self-service grows by this share.
ASSISTED_TREND = -0.08
SELF_SERVICE_TREND = 0.12
# Day-to-day noise (sigma of a log-normal factor).
DAY_NOISE = 0.08

OBSTACLES = (
    (SelfServiceObstacle.DIGITAL_SKILLS, 30),
    (SelfServiceObstacle.NEEDS_GUIDANCE, 30),
    (SelfServiceObstacle.NO_MITID, 15),
    (SelfServiceObstacle.LANGUAGE, 10),
    (SelfServiceObstacle.SELF_SERVICE_FAILED, 7),
    (SelfServiceObstacle.EXEMPT, 5),
    (SelfServiceObstacle.OTHER, 3),
)
# Share of assisted contacts about a service with self-service that could have used it.
AVOIDABLE_SHARE = 0.35


@dataclass(frozen=True)
class DemoHistoryResult:
    rows: int
    contacts: int  # rows weighted by `count`
    first_day: dt.date
    last_day: dt.date
    seconds: float


@dataclass(frozen=True)
class _Service:
    pk: int
    slug: str
    kle: str
    popularity: float
    has_self_service: bool
    processing_days: int
    handle_factor: float
    minutes: int


class _Picker:
    """A weighted choice among services whose weights change with the season."""

    def __init__(self, services: Sequence[_Service]) -> None:
        self.services = tuple(services)
        self._day: dt.date | None = None
        self._cum: list[float] = []

    def for_day(self, day: dt.date) -> _Picker:
        if self._day != day:
            doy = day.timetuple().tm_yday
            self._cum = list(accumulate(s.popularity * season(s.slug, doy) for s in self.services))
            self._day = day
        return self

    def season_ratio(self) -> float:
        """How much busier than usual the day set by for_day() is, from the services' seasons."""
        base = sum(s.popularity for s in self.services)
        return self._cum[-1] / base if base else 1.0

    def pick(self, rng: random.Random) -> _Service:
        return self.services[bisect(self._cum, rng.random() * self._cum[-1])]

    def __bool__(self) -> bool:
        return bool(self.services)


def _bump(doy: int, centre: int, width: int) -> float:
    distance = min(abs(doy - centre), 365 - abs(doy - centre))
    return math.exp(-0.5 * (distance / width) ** 2)


def season(slug: str, doy: int) -> float:
    """How much busier than usual a service is on a day of the year (1 = usual)."""
    return 1.0 + sum(share * _bump(doy, c, w) for c, w, share in SEASONS.get(slug, ()))


def quiet(doy: int) -> float:
    return 1.0 + sum(share * _bump(doy, c, w) for c, w, share in QUIET_SEASONS)


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 40:  # normal approximation: exact enough, and fast for large means
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _lognormal(rng: random.Random, mean: float, sigma: float = 0.5) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def _obstacle(rng: random.Random, service: _Service) -> tuple[bool, str]:
    if not service.has_self_service:
        return False, SelfServiceObstacle.NO_SELF_SERVICE
    if rng.random() < AVOIDABLE_SHARE:
        return True, ""
    total = sum(w for _, w in OBSTACLES)
    roll = rng.random() * total
    for obstacle, weight in OBSTACLES:
        roll -= weight
        if roll < 0:
            return False, obstacle
    return False, SelfServiceObstacle.OTHER


class _Generator:
    def __init__(self, *, seed: int, first: dt.date, last: dt.date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.first, self.last = first, last
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.span_days = max((last - first).days, 1)
        self.rows: list[dict] = []
        self.sequence = 0
        self._load()

    # -- reading the municipality ---------------------------------------------------------------

    def _load(self) -> None:
        services = {
            s.pk: _Service(
                pk=s.pk,
                slug=s.slug,
                kle=s.kle.number if s.kle_id else "",
                popularity=POPULARITY.get(s.slug, DEFAULT_POPULARITY),
                has_self_service=bool(s.self_service_url),
                processing_days=s.processing_days or DEFAULT_ANSWER_WORKING_DAYS,
                handle_factor=1.5 if s.sensitive else 1.0,
                minutes=s.appointment_minutes,
            )
            for s in Service.objects.published().select_related("kle").order_by("slug")
        }
        self.services = services
        ordered = sorted(services.values(), key=lambda s: s.slug)
        self.written = _Picker(ordered)
        self.self_service = [s for s in ordered if s.has_self_service]
        closing = closing_day_rules()
        self.points: list[tuple[ServicePoint, Schedule, dict[str, _Picker]]] = []
        for point in (
            ServicePoint.objects.published()
            .prefetch_related("weekly_hours", "hours_exceptions__periods", "offerings")
            .order_by("slug")
        ):
            rates = RATES_PER_OPEN_HOUR.get(point.kind, {})
            offerings = sorted(point.offerings.all(), key=lambda o: o.service_id)
            pickers = {}
            for channel in rates:
                if channel == ContactChannel.APPOINTMENT:
                    ids = [o.service_id for o in offerings if o.by_appointment]
                elif channel == ContactChannel.ASSISTED:
                    ids = [
                        o.service_id
                        for o in offerings
                        if o.service_id in services and services[o.service_id].has_self_service
                    ]
                else:
                    ids = [o.service_id for o in offerings if o.walk_in]
                picker = _Picker(
                    sorted((services[i] for i in ids if i in services), key=lambda s: s.slug)
                )
                if picker:
                    pickers[channel] = picker
            if pickers:
                schedule = service_point_schedule(point=point, closing_days=closing)
                self.points.append((point, schedule, pickers))
        # The queue each service is taken in at each point, as the kiosks would issue it.
        self.queue_codes: dict[tuple[int, int], str] = {}
        for queue in (
            Queue.objects.filter(active=True)
            .prefetch_related("services")
            .order_by("service_point_id", "sort_order", "code")
        ):
            for service in queue.services.all():
                self.queue_codes.setdefault((queue.service_point_id, service.pk), queue.code)
        # Letters come with the post: the town hall's closing days (or just the public holidays).
        town_hall = next(
            (p for p, _, _ in self.points if p.kind == ServicePointKind.TOWN_HALL), None
        )
        self.post_schedule = (
            service_point_schedule(point=town_hall, closing_days=closing)
            if town_hall is not None
            else Schedule(closing_days=closing, tz=self.tz)
        )

    # -- shared pieces --------------------------------------------------------------------------

    def _trend(self, day: dt.date, slope: float) -> float:
        return 1.0 + slope * (day - self.first).days / self.span_days

    def _noise(self) -> float:
        return self.rng.lognormvariate(0, DAY_NOISE)

    def _add(self, **fields) -> None:
        self.sequence += 1
        fields["source"] = ContactSource.DEMO
        fields["source_key"] = f"{self.seed}:{self.sequence}"
        self.rows.append(fields)

    def _local(self, day: dt.date, seconds: float) -> dt.datetime:
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz).astimezone(dt.UTC)
        return start + dt.timedelta(seconds=int(seconds))

    def _bins(self, periods, hours: dict[int, float]) -> tuple[list[dt.datetime], list[float]]:
        """15-minute bins inside the open periods, weighted by the hour-of-day shape."""
        starts, weights = [], []
        for period in periods:
            moment = period.start
            while moment < period.end:
                local_hour = moment.astimezone(self.tz).hour
                weights.append(hours.get(local_hour, 0.5) if hours else 1.0)
                starts.append(moment)
                moment += dt.timedelta(minutes=BIN_MINUTES)
        return starts, list(accumulate(weights))

    # -- one day --------------------------------------------------------------------------------

    def day(self, day: dt.date) -> None:
        doy = day.timetuple().tm_yday
        weekday = day.weekday()
        for point, schedule, pickers in self.points:
            periods = schedule.day(day).periods
            if not periods:
                continue
            open_hours = sum(p.duration.total_seconds() for p in periods) / 3600
            for channel, picker in pickers.items():
                rate = RATES_PER_OPEN_HOUR[point.kind][channel]
                self._waiting_channel(
                    day, doy, weekday, point, periods, open_hours, channel, rate, picker
                )
        self._written(day, doy, weekday)
        self._self_service(day, doy, weekday)

    def _waiting_channel(
        self, day, doy, weekday, point, periods, open_hours, channel, rate, picker
    ) -> None:
        rng = self.rng
        picker.for_day(day)
        season_ratio = picker.season_ratio()
        if channel == ContactChannel.PHONE:
            weekdays, hours, waiting = WEEKDAYS_PHONE, HOURS_PHONE, PHONE
        elif channel == ContactChannel.CHAT:
            weekdays, hours, waiting = WEEKDAYS_CHAT, HOURS_CHAT, CHAT
        elif channel == ContactChannel.APPOINTMENT:
            weekdays, hours, waiting = WEEKDAYS_OFFICE, HOURS_FLAT, APPOINTMENT
        elif channel == ContactChannel.ASSISTED:
            weekdays, hours, waiting = WEEKDAYS_OFFICE, HOURS_COUNTER, ASSISTED
        else:
            weekdays, hours, waiting = WEEKDAYS_OFFICE, HOURS_COUNTER, COUNTER
        day_load = weekdays[weekday] * season_ratio * quiet(doy)
        mean = rate * open_hours * day_load * self._trend(day, ASSISTED_TREND) * self._noise()
        count = poisson(rng, mean)
        if not count:
            return
        starts, cum = self._bins(periods, hours)
        if not starts:
            return
        period_ends = [(p.start, p.end) for p in periods]
        for _ in range(count):
            slot = starts[bisect(cum, rng.random() * cum[-1])]
            service = picker.pick(rng)
            if channel == ContactChannel.APPOINTMENT:
                self._appointment(point, service, slot)
                continue
            arrived = slot + dt.timedelta(seconds=int(rng.random() * BIN_MINUTES * 60))
            end_of_period = next((e for s, e in period_ends if s <= arrived < e), arrived)
            hour_load = hours.get(arrived.astimezone(self.tz).hour, 0.5) if hours else 1.0
            load = max(0.3, day_load * hour_load)
            self._served_or_not(point, service, channel, arrived, end_of_period, waiting, load)

    def _served_or_not(self, point, service, channel, arrived, closes, waiting, load) -> None:
        rng = self.rng
        common = {
            "channel": channel,
            "service_id": service.pk,
            "kle_number": service.kle,
            "service_point_id": point.pk,
            "queue_code": self.queue_codes.get((point.pk, service.pk), "")
            if channel in (ContactChannel.COUNTER, ContactChannel.ASSISTED)
            else "",
            "arrived_at": arrived,
        }
        wait = 0.0
        if rng.random() < min(0.95, waiting.wait_share * load):
            wait = rng.expovariate(1 / (waiting.wait_mean * load * load))
        else:
            wait = rng.random() * 8
        if waiting.patience_mean:
            patience = rng.expovariate(1 / waiting.patience_mean)
            if patience < wait:
                self._add(
                    **common,
                    ended_at=arrived + dt.timedelta(seconds=int(patience)),
                    wait_seconds=int(patience),
                    outcome=ContactOutcome.ABANDONED,
                )
                return
        wait = int(wait)
        started = arrived + dt.timedelta(seconds=wait)
        if waiting.no_show_share and rng.random() < waiting.no_show_share:
            self._add(**common, ended_at=started, wait_seconds=wait, outcome=ContactOutcome.NO_SHOW)
            return
        handle = int(max(30, _lognormal(rng, waiting.handle_mean * service.handle_factor)))
        possible, obstacle = _obstacle(rng, service)
        self._add(
            **common,
            started_at=started,
            ended_at=started + dt.timedelta(seconds=handle),
            wait_seconds=wait,
            handle_seconds=handle,
            outcome=ContactOutcome.SERVED,
            resolved_on_first_contact=rng.random() < waiting.resolved_share,
            self_service_possible=possible,
            self_service_obstacle=obstacle,
        )

    def _appointment(self, point, service, slot) -> None:
        rng = self.rng
        common = {
            "channel": ContactChannel.APPOINTMENT,
            "service_id": service.pk,
            "kle_number": service.kle,
            "service_point_id": point.pk,
            "queue_code": self.queue_codes.get((point.pk, service.pk), ""),
        }
        if rng.random() < APPOINTMENT.no_show_share:
            self._add(**common, arrived_at=slot, outcome=ContactOutcome.NO_SHOW)
            return
        arrived = slot - dt.timedelta(seconds=int(rng.random() * 300))
        late = rng.expovariate(1 / APPOINTMENT.wait_mean) if rng.random() < 0.4 else 0
        started = max(arrived, slot + dt.timedelta(seconds=int(late)))
        handle = int(max(60, _lognormal(rng, service.minutes * 60 * 0.8, 0.3)))
        possible, obstacle = _obstacle(rng, service)
        self._add(
            **common,
            arrived_at=arrived,
            started_at=started,
            ended_at=started + dt.timedelta(seconds=handle),
            wait_seconds=int((started - arrived).total_seconds()),
            handle_seconds=handle,
            outcome=ContactOutcome.SERVED,
            resolved_on_first_contact=rng.random() < APPOINTMENT.resolved_share,
            self_service_possible=possible,
            self_service_obstacle=obstacle,
        )

    def _written(self, day: dt.date, doy: int, weekday: int) -> None:
        rng = self.rng
        picker = self.written.for_day(day)
        if not picker:
            return
        season_ratio = picker.season_ratio()
        holiday = bool(self.post_schedule.closing_reason(day)[0])
        trend = self._trend(day, ASSISTED_TREND)
        plans: list[tuple[str, float, Sequence[float]]] = []
        for channel, (per_day, weekdays, hours) in WRITTEN_PER_DAY.items():
            factor = 0.5 if holiday else 1.0
            plans.append((channel, per_day * weekdays[weekday] * factor, hours))
        if weekday < 5 and not holiday:
            plans.append((ContactChannel.LETTER, LETTERS_PER_DAY, ()))
        for channel, per_day, hours in plans:
            count = poisson(rng, per_day * season_ratio * quiet(doy) * trend * self._noise())
            cum = list(accumulate(hours)) if hours else []
            for _ in range(count):
                if cum:
                    hour = bisect(cum, rng.random() * cum[-1])
                    arrived = self._local(day, hour * 3600 + rng.random() * 3600)
                else:  # letters are opened when the post comes
                    arrived = self._local(day, 10 * 3600 + rng.random() * 2 * 3600)
                self._inquiry(channel, picker.pick(rng), day, arrived)

    def _inquiry(self, channel: str, service: _Service, day: dt.date, arrived) -> None:
        rng = self.rng
        due = add_working_days(day, service.processing_days)
        if rng.random() < DEADLINE_MET_SHARE:
            answered_on = add_working_days(day, rng.randint(0, service.processing_days))
        else:
            answered_on = add_working_days(due, rng.randint(1, 8))
        possible, obstacle = _obstacle(rng, service)
        fields = {
            "channel": channel,
            "service_id": service.pk,
            "kle_number": service.kle,
            "arrived_at": arrived,
            "self_service_possible": possible,
            "self_service_obstacle": obstacle,
        }
        if answered_on > self.last:
            # Not answered yet when the history ends: still open (met or not is decided on answer).
            self._add(**fields, outcome=ContactOutcome.OPEN)
            return
        ended = self._local(answered_on, (9 + rng.random() * 6) * 3600)
        if ended <= arrived:
            ended = arrived + dt.timedelta(minutes=20 + rng.randint(0, 100))
        self._add(
            **fields,
            ended_at=ended,
            outcome=ContactOutcome.SERVED,
            resolved_on_first_contact=rng.random() < 0.7,
            deadline_met=answered_on <= due,
        )

    def _self_service(self, day: dt.date, doy: int, weekday: int) -> None:
        rng = self.rng
        holiday = 0.4 if self.post_schedule.closing_reason(day)[0] else 1.0
        factor = (
            SELF_SERVICE_PER_POPULARITY
            * WEEKDAYS_SELF_SERVICE[weekday]
            * holiday
            * quiet(doy)
            * self._trend(day, SELF_SERVICE_TREND)
        )
        arrived = self._local(day, 0)
        for service in self.self_service:
            count = poisson(rng, service.popularity * season(service.slug, doy) * factor)
            if count:
                self._add(
                    channel=ContactChannel.SELF_SERVICE,
                    service_id=service.pk,
                    kle_number=service.kle,
                    arrived_at=arrived,
                    outcome=ContactOutcome.COMPLETED,
                    count=count,
                )


def demo_history_exists() -> bool:
    return Contact.objects.filter(source=ContactSource.DEMO).exists()


def demo_history_generate(
    *,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress_stream: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> DemoHistoryResult:
    """Replace the demo contacts with `days` days of history ending yesterday.

    Reads the published services, service points, opening hours and queues, so load the demo
    municipality first (`indgang demo`). Only rows with source=demo are deleted.
    """
    if days < 1:
        raise ValueError("days must be 1 or more")
    started = clock()
    today = today or timezone.localdate()
    last = today - dt.timedelta(days=1)
    first = today - dt.timedelta(days=days)
    generator = _Generator(seed=seed, first=first, last=last)
    rows = contacts = 0
    with transaction.atomic():
        Contact.objects.filter(source=ContactSource.DEMO).delete()
        with Progress(days, stream=progress_stream, label="Demo history") as bar:
            for offset in range(days):
                generator.day(first + dt.timedelta(days=offset))
                if len(generator.rows) >= BATCH_SIZE or offset == days - 1:
                    contacts_insert_many(rows=generator.rows)
                    rows += len(generator.rows)
                    contacts += sum(row.get("count", 1) for row in generator.rows)
                    generator.rows = []
                bar.advance()
    return DemoHistoryResult(
        rows=rows,
        contacts=contacts,
        first_day=first,
        last_day=last,
        seconds=clock() - started,
    )
