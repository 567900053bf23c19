"""The staffing plan: the demand forecast turned into staff per 30-minute interval and channel.

For every interval of the planned days and every channel where citizens wait for a person:

- phone and chat: Erlang C on the forecast contacts, or Erlang A (callers hang up) when the history
  holds enough abandoned contacts to estimate their patience;
- counter, appointment and assisted self-service: the counter model, walk-ins queueing for the
  desks. Appointments are booked time, not a queue: the appointment channel's load is the booked
  minutes of that interval (visits.Appointment), or the forecast appointments times their handling
  time when more are expected than booked so far.

Staff on the rota = agents / (1 - shrinkage). Totals are staff hours (each agent in a 30-minute
interval is half an hour, shrinkage included) and full-time equivalents: 1 FTE (årsværk) is
37 hours a week, the Danish public-sector full-time week, and 52 × 37 = 1,924 hours a year.
Holidays, sickness and training are what shrinkage covers, so the year is not shortened for them;
the yearly figures are the planned week repeated 52 times.

The plan also compares demand with the current opening hours (places app, each service point of
the channel's kind) and with the desks at the open service points (visits.Desk):

- demand while closed: at least MIN_DEMAND contacts expected in an interval when no service point of
  the channel is open;
- idle: open, but fewer than MIN_DEMAND contacts expected (the staff there would mostly wait);
- more (or fewer) desks than needed: the desks at the open points exceed (or fall short of) the
  agents needed at them. Counter and appointment share the counter desks and private rooms,
  assisted self-service uses the stations.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indgang.places.models import ServicePointKind
from indgang.places.selectors import (
    closing_day_rules,
    service_point_list,
    service_point_schedule,
)
from indgang.visits.lifecycle import AppointmentStatus, DeskKind
from indgang.visits.models import Appointment, Desk

from .erlang import StaffingResult, counter_required, erlang_a_required, erlang_c_required
from .forecast import INTERVAL_MINUTES, average_handling_seconds, forecast_demand, slot_of
from .models import Contact, ContactChannel, ContactOutcome

INTERVAL_SECONDS = INTERVAL_MINUTES * 60
STAFFED_CHANNELS = (
    ContactChannel.PHONE,
    ContactChannel.CHAT,
    ContactChannel.COUNTER,
    ContactChannel.APPOINTMENT,
    ContactChannel.ASSISTED,
)
QUEUE_CHANNELS = (ContactChannel.PHONE, ContactChannel.CHAT)
DEFAULT_SHRINKAGE = 0.30
FTE_HOURS_PER_WEEK = 37.0
WEEKS_PER_YEAR = 52
# Fewer expected contacts than this in a half-hour count as "no demand" for the marks, and need no
# staff outside the opening hours (a stray night-time call in the history is not a night shift).
MIN_DEMAND = 0.5
# Handling and patience are read from this many days of history.
HANDLING_HISTORY_DAYS = 90
# Erlang A needs a patience estimate; fewer abandoned contacts than this give none.
MIN_ABANDONED_FOR_PATIENCE = 10

CLOSED_DEMAND = "closed_demand"
IDLE = "idle"
OVER_STAFFED = "over_staffed"
TOO_FEW_DESKS = "too_few_desks"
FLAG_LABELS = {
    CLOSED_DEMAND: _("Demand while closed"),
    IDLE: _("Open with almost no demand"),
    OVER_STAFFED: _("More desks than needed"),
    TOO_FEW_DESKS: _("Fewer desks than needed"),
}


@dataclass(frozen=True)
class Target:
    service_level: float  # share of contacts answered or served within answer_seconds, e.g. 0.8
    answer_seconds: int


DEFAULT_TARGETS = {
    ContactChannel.PHONE: Target(0.8, 20),
    ContactChannel.CHAT: Target(0.8, 60),
    ContactChannel.COUNTER: Target(0.8, 600),
    ContactChannel.APPOINTMENT: Target(0.8, 600),
    ContactChannel.ASSISTED: Target(0.8, 600),
}
# Handling times used when the history has none: typical values in Danish citizen service.
DEFAULT_HANDLING_SECONDS = {
    ContactChannel.PHONE: 180.0,
    ContactChannel.CHAT: 300.0,
    ContactChannel.COUNTER: 480.0,
    ContactChannel.APPOINTMENT: 900.0,
    ContactChannel.ASSISTED: 900.0,
}
# Which service points' opening hours and desks belong to a channel.
POINT_KINDS = {
    ContactChannel.PHONE: {ServicePointKind.PHONE},
    ContactChannel.CHAT: {ServicePointKind.CHAT},
    ContactChannel.COUNTER: {
        ServicePointKind.TOWN_HALL,
        ServicePointKind.LIBRARY,
        ServicePointKind.CITIZEN_BUS,
    },
}
POINT_KINDS[ContactChannel.APPOINTMENT] = POINT_KINDS[ContactChannel.COUNTER]
POINT_KINDS[ContactChannel.ASSISTED] = POINT_KINDS[ContactChannel.COUNTER]
# Channels that share desks, and the desk kinds they use.
DESK_GROUPS = (
    (
        (ContactChannel.COUNTER, ContactChannel.APPOINTMENT),
        (DeskKind.COUNTER, DeskKind.PRIVATE_ROOM),
    ),
    ((ContactChannel.ASSISTED,), (DeskKind.STATION,)),
)


@dataclass(frozen=True)
class IntervalPlan:
    start: dt.datetime  # aware, local
    expected: float  # forecast contacts
    booked_minutes: float
    agents: int  # on the line or at the desks
    scheduled_agents: int  # on the rota, shrinkage included
    service_level: float | None  # with `agents`; None when no one is needed
    open: bool | None  # None when no service point of the channel's kind is known
    desks: int | None  # desks at the open service points (physical channels)
    flag: str = ""

    @property
    def flag_label(self) -> str:
        return str(FLAG_LABELS.get(self.flag, ""))


@dataclass
class ChannelPlan:
    channel: str
    model: str  # "erlang_c", "erlang_a" or "counter"
    target: Target
    handling_seconds: float
    handling_from_history: bool
    patience_seconds: float | None
    shrinkage: float
    intervals: list[IntervalPlan] = field(default_factory=list)
    has_hours: bool = False

    @property
    def label(self) -> str:
        return str(ContactChannel(self.channel).label)

    @property
    def agent_hours(self) -> float:
        """Hours of staff on the line or at the desks (no shrinkage)."""
        return sum(i.agents for i in self.intervals) * INTERVAL_MINUTES / 60

    @property
    def staff_hours(self) -> float:
        """Paid hours: agent hours grossed up for shrinkage (not rounded per interval)."""
        return self.agent_hours / (1 - self.shrinkage)

    @property
    def fte(self) -> float:
        return fte_for_week(self.staff_hours)

    @property
    def staff_hours_per_year(self) -> float:
        return self.staff_hours * WEEKS_PER_YEAR

    @property
    def expected_total(self) -> float:
        return sum(i.expected for i in self.intervals)

    @property
    def peak_agents(self) -> int:
        return max((i.agents for i in self.intervals), default=0)

    def count(self, flag: str) -> int:
        return sum(1 for i in self.intervals if i.flag == flag)

    @property
    def closed_demand_intervals(self) -> int:
        return self.count(CLOSED_DEMAND)

    @property
    def idle_intervals(self) -> int:
        return self.count(IDLE)

    @property
    def over_staffed_intervals(self) -> int:
        return self.count(OVER_STAFFED)

    @property
    def too_few_desks_intervals(self) -> int:
        return self.count(TOO_FEW_DESKS)

    @property
    def closed_demand_total(self) -> float:
        return sum(i.expected for i in self.intervals if i.flag == CLOSED_DEMAND)


@dataclass
class StaffingPlan:
    start: dt.date
    days: int
    shrinkage: float
    channels: list[ChannelPlan]

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    @property
    def agent_hours(self) -> float:
        return sum(c.agent_hours for c in self.channels)

    @property
    def staff_hours(self) -> float:
        return sum(c.staff_hours for c in self.channels)

    @property
    def fte(self) -> float:
        return fte_for_week(self.staff_hours)

    @property
    def staff_hours_per_year(self) -> float:
        return self.staff_hours * WEEKS_PER_YEAR


def fte_for_week(staff_hours: float) -> float:
    """Full-time equivalents of a week's paid hours: 37 hours a week is one FTE (årsværk).

    A year of the same week is 52 × staff_hours hours and 52 × 37 = 1,924 hours per FTE, so the
    FTE figure is the same for the week and the year.
    """
    return staff_hours / FTE_HOURS_PER_WEEK


# -- one interval -----------------------------------------------------------------------------------


def interval_requirement(
    *,
    channel: str,
    expected: float,
    handling_seconds: float,
    target: Target,
    shrinkage: float,
    booked_minutes: float = 0.0,
    patience_seconds: float | None = None,
) -> StaffingResult | None:
    """Staff needed for one 30-minute interval of a channel; None when nothing is to be done."""
    if expected <= 0 and booked_minutes <= 0:
        return None
    if channel in QUEUE_CHANNELS:
        common = {
            "calls": expected,
            "interval_seconds": INTERVAL_SECONDS,
            "aht_seconds": handling_seconds,
            "target": target.service_level,
            "answer_time_seconds": target.answer_seconds,
            "shrinkage": shrinkage,
        }
        if patience_seconds:
            return erlang_a_required(**common, patience_seconds=patience_seconds)
        return erlang_c_required(**common)
    if channel == ContactChannel.APPOINTMENT:
        # Booked time, not a queue: whichever is larger, the bookings or the forecast's workload.
        workload = max(booked_minutes, expected * handling_seconds / 60)
        return counter_required(
            arrivals=0,
            interval_seconds=INTERVAL_SECONDS,
            service_seconds=handling_seconds,
            target=target.service_level,
            wait_seconds=target.answer_seconds,
            booked_minutes=workload,
            shrinkage=shrinkage,
        )
    return counter_required(
        arrivals=expected,
        interval_seconds=INTERVAL_SECONDS,
        service_seconds=handling_seconds,
        target=target.service_level,
        wait_seconds=target.answer_seconds,
        shrinkage=shrinkage,
    )


# -- history and the places/visits data -------------------------------------------------------------


def average_patience_seconds(*, channel: str, since: dt.datetime) -> float | None:
    """Mean patience of waiting citizens, or None with too few abandoned contacts to tell.

    The standard estimate for exponential patience: all time spent waiting (by those who were
    answered and those who gave up) divided by the number who gave up.
    """
    totals = Contact.objects.filter(
        channel=channel,
        arrived_at__gte=since,
        wait_seconds__isnull=False,
        outcome__in=(ContactOutcome.SERVED, ContactOutcome.ABANDONED),
    ).aggregate(
        abandoned=Count("pk", filter=Q(outcome=ContactOutcome.ABANDONED)),
        waited=Sum("wait_seconds"),
    )
    abandoned, waited = totals["abandoned"], totals["waited"]
    if abandoned < MIN_ABANDONED_FOR_PATIENCE:
        return None
    return float(waited) / abandoned if waited else None


def _open_points(start_utc: dt.datetime, end_utc: dt.datetime):
    """{channel: [(point pk, [(start, end) UTC periods])]} for the channels' service points."""
    closing = closing_day_rules()
    by_kind: dict[str, list] = defaultdict(list)
    for point in service_point_list():
        schedule = service_point_schedule(point=point, closing_days=closing)
        periods = [(p.start, p.end) for p in schedule.periods_between(start_utc, end_utc)]
        by_kind[point.kind].append((point.pk, periods))
    return {
        channel: [entry for kind in kinds for entry in by_kind.get(kind, [])]
        for channel, kinds in POINT_KINDS.items()
    }


def _desks_by_point() -> dict[tuple[int, str], int]:
    rows = (
        Desk.objects.filter(active=True)
        .values("service_point", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["service_point"], row["kind"]): row["n"] for row in rows}


def _booked_minutes(starts: list[dt.datetime]) -> dict[dt.datetime, float]:
    """Minutes of live appointments in each interval (keyed by the interval's UTC start)."""
    if not starts:
        return {}
    step = dt.timedelta(minutes=INTERVAL_MINUTES)
    first, last = starts[0], starts[-1] + step
    minutes: dict[dt.datetime, float] = defaultdict(float)
    appointments = Appointment.objects.filter(
        start__lt=last,
        end__gt=first,
        status__in=(AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN, AppointmentStatus.DONE),
    ).values_list("start", "end")
    for begin, end in appointments:
        # Interval starts are whole half-hours in UTC as well (Denmark's offsets are whole hours).
        cursor = begin.astimezone(dt.UTC).replace(second=0, microsecond=0)
        cursor -= dt.timedelta(minutes=cursor.minute % INTERVAL_MINUTES)
        while cursor < end:
            overlap = min(end, cursor + step) - max(begin, cursor)
            if overlap.total_seconds() > 0 and first <= cursor < last:
                minutes[cursor] += overlap.total_seconds() / 60
            cursor += step
    return minutes


# -- the plan ---------------------------------------------------------------------------------------


def staffing_plan_build(
    *,
    start: dt.date,
    days: int = 7,
    channels: list[str] | None = None,
    targets: dict[str, Target] | None = None,
    shrinkage: float = DEFAULT_SHRINKAGE,
    today: dt.date | None = None,
    history_days: int = 365,
) -> StaffingPlan:
    """The staffing plan for `days` days from `start`, for `channels` (default: all staffed ones).

    `targets` overrides DEFAULT_TARGETS per channel. Over-staffing compares desks with the need of
    every channel sharing them, so the channels sharing desks are always computed.
    """
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be at least 0 and less than 1")
    wanted = list(channels) if channels is not None else list(STAFFED_CHANNELS)
    unknown = set(wanted) - set(STAFFED_CHANNELS)
    if unknown:
        raise ValueError(f"not a staffed channel: {', '.join(sorted(unknown))}")
    computed = [c for c in STAFFED_CHANNELS if c in wanted or _shares_desks(c, wanted)]
    today = today or timezone.localdate()
    targets = {**DEFAULT_TARGETS, **(targets or {})}
    tz = ZoneInfo(settings.TIME_ZONE)
    forecast = forecast_demand(
        start=start, days=days, channels=computed, history_days=history_days, today=today
    )
    any_series = next(iter(forecast.series.values()), [])
    starts = [i.start.astimezone(dt.UTC) for i in any_series]
    step = dt.timedelta(minutes=INTERVAL_MINUTES)
    window_start = starts[0] if starts else dt.datetime.combine(start, dt.time(), tzinfo=tz)
    window_end = starts[-1] + step if starts else window_start
    points = _open_points(window_start, window_end)
    desks = _desks_by_point()
    booked = _booked_minutes(starts)
    since = dt.datetime.combine(
        today - dt.timedelta(days=HANDLING_HISTORY_DAYS), dt.time(), tzinfo=tz
    )

    plans: dict[str, ChannelPlan] = {}
    for channel in computed:
        history_handling = average_handling_seconds(channel=channel, since=since)
        patience = (
            average_patience_seconds(channel=channel, since=since)
            if channel in QUEUE_CHANNELS
            else None
        )
        plan = ChannelPlan(
            channel=channel,
            model=(
                ("erlang_a" if patience else "erlang_c") if channel in QUEUE_CHANNELS else "counter"
            ),
            target=targets[channel],
            handling_seconds=history_handling or DEFAULT_HANDLING_SECONDS[channel],
            handling_from_history=history_handling is not None,
            patience_seconds=patience,
            shrinkage=shrinkage,
            has_hours=bool(points.get(channel)),
        )
        for interval in forecast.series[channel]:
            begin = interval.start.astimezone(dt.UTC)
            is_open, open_desks = _openness(channel, begin, begin + step, points, desks)
            minutes = booked.get(begin, 0.0) if channel == ContactChannel.APPOINTMENT else 0.0
            expected = interval.expected
            if expected < MIN_DEMAND and not is_open and minutes <= 0:
                result = None  # too little to staff outside the opening hours
            else:
                result = interval_requirement(
                    channel=channel,
                    expected=expected,
                    handling_seconds=plan.handling_seconds,
                    target=plan.target,
                    shrinkage=shrinkage,
                    booked_minutes=minutes,
                    patience_seconds=patience,
                )
            plan.intervals.append(
                IntervalPlan(
                    start=interval.start,
                    expected=expected,
                    booked_minutes=minutes,
                    agents=result.agents if result else 0,
                    scheduled_agents=(result.scheduled_agents or 0) if result else 0,
                    service_level=result.service_level if result else None,
                    open=is_open,
                    desks=open_desks,
                )
            )
        plans[channel] = plan
    _mark(plans)
    return StaffingPlan(
        start=start,
        days=days,
        shrinkage=shrinkage,
        channels=[plans[c] for c in STAFFED_CHANNELS if c in plans and c in wanted],
    )


def _shares_desks(channel: str, wanted: list[str]) -> bool:
    return any(channel in group and set(group) & set(wanted) for group, _kinds in DESK_GROUPS)


def _openness(channel, begin, end, points, desks) -> tuple[bool | None, int | None]:
    """Whether any of the channel's service points is open in [begin, end), and their desks.

    Desks are None for remote channels, and where the channel's points have no desks registered
    at all (unknown, rather than zero).
    """
    entries = points.get(channel) or []
    if not entries:
        return None, None
    open_points = [pk for pk, periods in entries if any(s < end and e > begin for s, e in periods)]
    kinds = next((kinds for group, kinds in DESK_GROUPS if channel in group), None)
    if kinds is None or not any(desks.get((pk, kind)) for pk, _p in entries for kind in kinds):
        return bool(open_points), None
    return bool(open_points), sum(desks.get((pk, kind), 0) for pk in open_points for kind in kinds)


def _mark(plans: dict[str, ChannelPlan]) -> None:
    """Flag intervals: demand while closed, open and idle, more or fewer desks than needed."""
    need_by_group: dict[int, dict[dt.datetime, int]] = {}
    for index, (group, _kinds) in enumerate(DESK_GROUPS):
        need: dict[dt.datetime, int] = defaultdict(int)
        for channel in group:
            for interval in plans[channel].intervals if channel in plans else ():
                need[interval.start.astimezone(dt.UTC)] += interval.agents
        need_by_group[index] = need
    for channel, plan in plans.items():
        group_index = next((i for i, (g, _k) in enumerate(DESK_GROUPS) if channel in g), None)
        marked = []
        for interval in plan.intervals:
            flag = ""
            need = (
                need_by_group[group_index][interval.start.astimezone(dt.UTC)]
                if group_index is not None
                else None
            )
            if interval.open is False and interval.expected >= MIN_DEMAND:
                flag = CLOSED_DEMAND
            elif interval.open and interval.expected < MIN_DEMAND and not interval.booked_minutes:
                flag = IDLE
            elif interval.open and interval.desks is not None and need is not None:
                if interval.desks > need:
                    flag = OVER_STAFFED
                elif interval.desks < need and interval.agents:
                    flag = TOO_FEW_DESKS
            marked.append(_with_flag(interval, flag))
        plan.intervals = marked


def _with_flag(interval: IntervalPlan, flag: str) -> IntervalPlan:
    return IntervalPlan(**{**interval.__dict__, "flag": flag})


# -- the table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    interval: IntervalPlan | None  # None: the time does not exist that day (spring DST change)
    level: int  # 0–5, the shade relative to the channel's busiest interval


@dataclass(frozen=True)
class GridRow:
    label: str  # "09:30"
    cells: list[GridCell]


def plan_grid(plan: ChannelPlan, dates: list[dt.date]) -> list[GridRow]:
    """Rows of wall-clock half-hours by columns of days, trimmed to the hours with anything on.

    On the autumn DST day 02:00–03:00 happens twice; its row shows the busier occurrence (the
    totals count both).
    """
    by_key: dict[tuple[dt.date, int], IntervalPlan] = {}
    for interval in plan.intervals:
        key = (interval.start.date(), slot_of(interval.start))
        if key not in by_key or interval.agents > by_key[key].agents:
            by_key[key] = interval
    busy_slots = [
        slot
        for (_day, slot), i in by_key.items()
        if i.agents or i.open or i.expected >= MIN_DEMAND / 10
    ]
    if not busy_slots:
        return []
    peak = plan.peak_agents or 1
    rows = []
    for slot in range(min(busy_slots), max(busy_slots) + 1):
        cells = []
        for day in dates:
            interval = by_key.get((day, slot))
            level = math.ceil(5 * interval.agents / peak) if interval and interval.agents else 0
            cells.append(GridCell(interval=interval, level=level))
        rows.append(GridRow(label=f"{slot // 2:02d}:{30 * (slot % 2):02d}", cells=cells))
    return rows
