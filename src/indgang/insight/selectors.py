"""Reads for the managers' dashboard: volumes, self-service rate, avoidable contacts, waiting times,
service level, deadlines and no-shows over a filter.

Counting and grouping happen in the database (SQLite and PostgreSQL alike); dates, weekdays and
hours are taken in the municipality's time zone (settings.TIME_ZONE), so a contact at 23:30 UTC in
winter belongs to the next local day. Volumes sum `count`, because an imported self-service row
holds a whole day's completions. Every selector returns plain dataclasses that the templates and
the CSV export both use.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.inquiries.lifecycle import SelfServiceObstacle

from .models import Contact, ContactChannel, ContactOutcome
from .models.contacts import ASSISTED_CHANNELS, WAITING_CHANNELS

# Channels answered at once on a line: their service level is measured in seconds, not minutes.
PHONE_LIKE = (ContactChannel.PHONE, ContactChannel.CHAT)


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts the dashboard looks at: arrived on date_from … date_to (local dates, both
    included), in one of `channels` (all when empty), for one service and one service point."""

    date_from: dt.date
    date_to: dt.date
    channels: tuple[str, ...] = ()
    service_id: int | None = None
    service_point_id: int | None = None


@dataclass(frozen=True)
class Volume:
    key: str
    label: str
    count: int
    share: float | None  # of all the contacts counted in the same breakdown


@dataclass(frozen=True)
class WeekVolume:
    year: int
    week: int
    starts_on: dt.date
    count: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class HeatmapRow:
    weekday: int  # ISO: 1 is Monday
    label: str
    cells: list[int]  # one per hour in Heatmap.hours


@dataclass(frozen=True)
class Heatmap:
    hours: list[int]
    rows: list[HeatmapRow]
    maximum: int


@dataclass(frozen=True)
class SelfServiceRate:
    service_id: int
    label: str
    self_service: int
    assisted: int
    target: float

    @property
    def rate(self) -> float | None:
        total = self.self_service + self.assisted
        return self.self_service / total if total else None

    @property
    def meets_target(self) -> bool:
        return self.rate is not None and self.rate >= self.target


@dataclass(frozen=True)
class SelfServiceReport:
    rows: list[SelfServiceRate]
    total: SelfServiceRate
    target: float


@dataclass(frozen=True)
class AvoidableReport:
    """Assisted contacts about services the citizen could have done online, and why they did not."""

    total: int
    assisted: int  # all assisted contacts in the filter, for the share
    by_service: list[Volume]
    reasons: list[Volume]

    @property
    def share(self) -> float | None:
        return self.total / self.assisted if self.assisted else None


@dataclass(frozen=True)
class WaitingRow:
    """Waiting at one service point, queue and channel. Waits are those of the served contacts;
    the service level counts the abandoned ones as not served in time."""

    service_point: str
    queue_code: str
    channel: str
    channel_label: str
    served: int
    abandoned: int
    mean_seconds: float | None
    p80_seconds: float | None
    p95_seconds: float | None
    target_seconds: int
    within_target: int

    @property
    def label(self) -> str:
        parts = [self.service_point, self.queue_code, self.channel_label]
        return " · ".join(p for p in parts if p)

    @property
    def service_level(self) -> float | None:
        offered = self.served + self.abandoned
        return self.within_target / offered if offered else None


@dataclass(frozen=True)
class Share:
    """`part` of `whole`: deadlines met of inquiries with a deadline, no-shows of appointments."""

    key: str
    label: str
    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class ShareReport:
    rows: list[Share]
    total: Share = field(default_factory=lambda: Share("", "", 0, 0))


def _zone():
    return timezone.get_default_timezone()


def _period_bounds(filters: ContactFilter) -> tuple[dt.datetime, dt.datetime]:
    zone = _zone()
    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _contacts(
    filters: ContactFilter, *, by_channel: bool = True, by_point: bool = True
) -> QuerySet[Contact]:
    start, end = _period_bounds(filters)
    contacts = Contact.objects.filter(arrived_at__gte=start, arrived_at__lt=end).order_by()
    if filters.service_id is not None:
        contacts = contacts.filter(service_id=filters.service_id)
    if by_channel and filters.channels:
        contacts = contacts.filter(channel__in=filters.channels)
    if by_point and filters.service_point_id is not None:
        contacts = contacts.filter(service_point_id=filters.service_point_id)
    return contacts


def _volumes(rows: list[tuple[str, str, int]]) -> list[Volume]:
    total = sum(count for _key, _label, count in rows)
    ordered = sorted(rows, key=lambda r: (-r[2], r[1]))
    return [
        Volume(key, label, count, count / total if total else None) for key, label, count in ordered
    ]


def contact_volume_by_channel(*, filters: ContactFilter) -> list[Volume]:
    rows = _contacts(filters).values("channel").annotate(n=Sum("count"))
    return _volumes([(r["channel"], ContactChannel(r["channel"]).label, r["n"]) for r in rows])


def contact_volume_by_service(*, filters: ContactFilter) -> list[Volume]:
    rows = _contacts(filters).values("service_id", "service__title").annotate(n=Sum("count"))
    return _volumes(
        [
            (str(r["service_id"] or ""), r["service__title"] or _("No service given"), r["n"])
            for r in rows
        ]
    )


def contact_volume_by_service_point(*, filters: ContactFilter) -> list[Volume]:
    rows = _contacts(filters).values("service_point_id", "service_point__name")
    rows = rows.annotate(n=Sum("count"))
    return _volumes(
        [
            (
                str(r["service_point_id"] or ""),
                r["service_point__name"] or _("No service point (phone, online, post)"),
                r["n"],
            )
            for r in rows
        ]
    )


def contact_volume_by_week(*, filters: ContactFilter) -> list[WeekVolume]:
    """Contacts per ISO week of the period, weeks without contacts included.

    The database sums per local date; the dates are folded into weeks here (a few hundred rows at
    most), which avoids each database's own idea of week numbers."""
    days = (
        _contacts(filters)
        .annotate(day=TruncDate("arrived_at", tzinfo=_zone()))
        .values("day")
        .annotate(n=Sum("count"))
    )
    per_week: dict[dt.date, int] = defaultdict(int)
    for row in days:
        day = row["day"]
        per_week[day - dt.timedelta(days=day.weekday())] += row["n"]
    first = filters.date_from - dt.timedelta(days=filters.date_from.weekday())
    weeks = []
    monday = first
    while monday <= filters.date_to:
        year, week, _weekday = monday.isocalendar()
        weeks.append(WeekVolume(year, week, monday, per_week.get(monday, 0)))
        monday += dt.timedelta(weeks=1)
    return weeks


def weekday_names() -> list[str]:
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return [_(name) for name in names]


def contact_heatmap(*, filters: ContactFilter) -> Heatmap:
    """Contacts per local weekday (Monday first) and hour of arrival.

    Self-service completions are left out: they take no staff, and they are mostly daily totals
    (imported, or dated at midnight) that have no hour. ExtractIsoWeekDay counts Monday as 1 on
    every database (ExtractWeekDay would start on Sunday)."""
    zone = _zone()
    rows = (
        _contacts(filters)
        .exclude(channel=ContactChannel.SELF_SERVICE)
        .annotate(
            weekday=ExtractIsoWeekDay("arrived_at", tzinfo=zone),
            hour=ExtractHour("arrived_at", tzinfo=zone),
        )
        .values("weekday", "hour")
        .annotate(n=Sum("count"))
    )
    counts = {(r["weekday"], r["hour"]): r["n"] for r in rows}
    if not counts:
        return Heatmap(hours=[], rows=[], maximum=0)
    used = [hour for _weekday, hour in counts]
    hours = list(range(min(used), max(used) + 1))
    names = weekday_names()
    heat_rows = [
        HeatmapRow(day, names[day - 1], [counts.get((day, hour), 0) for hour in hours])
        for day in range(1, 8)
    ]
    return Heatmap(hours=hours, rows=heat_rows, maximum=max(counts.values()))


def self_service_target() -> float:
    return settings.INSIGHT_SELF_SERVICE_TARGET / 100


def self_service_rate_by_service(*, filters: ContactFilter) -> SelfServiceReport:
    """Per service: self-service completions / (completions + assisted contacts), for services
    that have a self-service solution or completions; the biggest services first.

    Services citizens cannot do online would only add rows of 0 % and pull the total down with
    contacts nobody could move, so they are left out, of the total too. Uses the period and the
    service only: completions online have no service point, and the rate is a comparison of
    channels, so the channel and service-point filters would empty one side."""
    target = self_service_target()
    rows = (
        _contacts(filters, by_channel=False, by_point=False)
        .filter(service__isnull=False)
        .values("service_id", "service__title", "service__self_service_url")
        .annotate(
            self_service=Sum("count", filter=Q(channel=ContactChannel.SELF_SERVICE), default=0),
            assisted=Sum("count", filter=Q(channel__in=ASSISTED_CHANNELS), default=0),
        )
    )
    rates = [
        SelfServiceRate(
            r["service_id"], r["service__title"], r["self_service"], r["assisted"], target
        )
        for r in rows
        if r["service__self_service_url"] or r["self_service"]
    ]
    rates.sort(key=lambda r: (-(r.self_service + r.assisted), r.label))
    total = SelfServiceRate(
        0,
        _("All services"),
        sum(r.self_service for r in rates),
        sum(r.assisted for r in rates),
        target,
    )
    return SelfServiceReport(rows=rates, total=total, target=target)


def avoidable_contacts(*, filters: ContactFilter) -> AvoidableReport:
    """Assisted contacts about services that have a self-service solution, with the reasons."""
    assisted = _contacts(filters).filter(channel__in=ASSISTED_CHANNELS)
    avoidable = assisted.filter(service__isnull=False).exclude(service__self_service_url="")
    by_service = list(avoidable.values("service_id", "service__title").annotate(n=Sum("count")))
    reasons = avoidable.values("self_service_obstacle").annotate(n=Sum("count"))
    labels = dict(SelfServiceObstacle.choices)
    return AvoidableReport(
        total=sum(r["n"] for r in by_service),  # every avoidable contact has its service
        assisted=assisted.aggregate(n=Sum("count", default=0))["n"],
        by_service=_volumes(
            [(str(r["service_id"]), r["service__title"], r["n"]) for r in by_service]
        ),
        reasons=_volumes(
            [
                (
                    r["self_service_obstacle"],
                    str(labels.get(r["self_service_obstacle"], _("No reason given"))),
                    r["n"],
                )
                for r in reasons
            ]
        ),
    )


def percentile(ordered: list[float], fraction: float) -> float | None:
    """The `fraction` percentile of sorted values, interpolated between the two nearest ranks
    (as PostgreSQL's percentile_cont does). None for no values."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def wait_target_seconds(channel: str) -> int:
    if channel in PHONE_LIKE:
        return settings.INSIGHT_PHONE_WAIT_TARGET_SECONDS
    return settings.INSIGHT_COUNTER_WAIT_TARGET_SECONDS


def waiting_by_queue(*, filters: ContactFilter) -> list[WaitingRow]:
    """Waiting times and service level per service point, queue and channel.

    Counts come from the database; the percentiles and the waits within each channel's target are
    computed here from the served waits themselves (SQLite has no percentile function), which is
    fine for a dashboard's period of contacts."""
    contacts = _contacts(filters).filter(
        channel__in=WAITING_CHANNELS,
        wait_seconds__isnull=False,
        outcome__in=(ContactOutcome.SERVED, ContactOutcome.ABANDONED),
    )
    keys = ("service_point_id", "service_point__name", "queue_code", "channel")
    waits: dict[tuple, list[int]] = defaultdict(list)
    for *key, wait in (
        contacts.filter(outcome=ContactOutcome.SERVED)
        .values_list(*keys, "wait_seconds")
        .order_by("wait_seconds")
    ):
        waits[tuple(key)].append(wait)
    groups = contacts.values(*keys).annotate(
        served=Count("pk", filter=Q(outcome=ContactOutcome.SERVED)),
        abandoned=Count("pk", filter=Q(outcome=ContactOutcome.ABANDONED)),
    )
    result = []
    for group in groups:
        channel = group["channel"]
        target = wait_target_seconds(channel)
        served = waits.get(tuple(group[k] for k in keys), [])
        result.append(
            WaitingRow(
                service_point=group["service_point__name"] or "",
                queue_code=group["queue_code"],
                channel=channel,
                channel_label=str(ContactChannel(channel).label),
                served=group["served"],
                abandoned=group["abandoned"],
                mean_seconds=sum(served) / len(served) if served else None,
                p80_seconds=percentile(served, 0.8),
                p95_seconds=percentile(served, 0.95),
                target_seconds=target,
                # The waits are sorted, so those within the target are a prefix.
                within_target=bisect.bisect_right(served, target),
            )
        )
    result.sort(key=lambda r: (r.service_point, r.queue_code, r.channel))
    return result


def deadlines_met(*, filters: ContactFilter) -> ShareReport:
    """Per service: inquiries answered by the promised date, of those with a known answer."""
    rows = (
        _contacts(filters)
        .filter(deadline_met__isnull=False)
        .values("service_id", "service__title")
        .annotate(met=Count("pk", filter=Q(deadline_met=True)), total=Count("pk"))
    )
    shares = [
        Share(
            str(r["service_id"] or ""),
            r["service__title"] or _("No service given"),
            r["met"],
            r["total"],
        )
        for r in rows
    ]
    shares.sort(key=lambda s: (s.rate, s.label))
    return ShareReport(
        rows=shares,
        total=Share(
            "", _("All services"), sum(s.part for s in shares), sum(s.whole for s in shares)
        ),
    )


def no_show_rate(*, filters: ContactFilter) -> ShareReport:
    """Per service point: appointments the citizen did not come to, of all appointments."""
    rows = (
        _contacts(filters)
        .filter(channel=ContactChannel.APPOINTMENT)
        .values("service_point_id", "service_point__name")
        .annotate(
            no_shows=Sum("count", filter=Q(outcome=ContactOutcome.NO_SHOW), default=0),
            total=Sum("count"),
        )
    )
    shares = [
        Share(
            str(r["service_point_id"] or ""),
            r["service_point__name"] or _("No service point"),
            r["no_shows"],
            r["total"],
        )
        for r in rows
    ]
    shares.sort(key=lambda s: (-(s.rate or 0), s.label))
    return ShareReport(
        rows=shares,
        total=Share(
            "", _("All service points"), sum(s.part for s in shares), sum(s.whole for s in shares)
        ),
    )
