"""A scenario of today's service model, built from the municipality's own data.

`scenario_from_data(start=…, days=…)` reads what Indgang already knows and writes it in the
scenario format (docs/scenarios.md), so a manager starts a what-if from today instead of typing
rates:

- points: the published town hall and library service points (places app) with the weekly
  opening hours in force on `start` (split shifts kept), their own closing days in the horizon,
  and one point per published phone line and chat; self-service on the website is one more point.
  The citizen bus is left out: its hours belong to moving stops, which the format cannot express.
- staff at a physical point: its active desks (visits.Desk) during all opening hours. Counters and
  private rooms serve walk-ins and bookings, which share them in proportion to their forecast
  workload (contacts × handling time; with a single desk both count it); stations serve
  assisted self-service. A channel with demand but no desk of its kind (a library's walk-ins)
  gets one member of staff.
- staff on phone and chat: Erlang C per weekday and hour (80 % answered within the service-level
  target) on the forecast's mean contacts in that hour, at least one agent while open.
- demand: the demand forecast (insight.forecast) for the horizon, per channel, weekday and hour of
  day: the mean over the horizon's days of that weekday that are not public holidays or closing
  days. A physical channel's demand is split between points by each point's share of that
  channel's contacts in the same weekday and hour of the history (its overall share where the
  history has none then); phone and chat likewise between lines. Each (point, channel, weekday)
  gets its own profile, so the pattern of every weekday is kept (to the whole hour: the format's
  profiles are hourly). Bookings are one weekly volume per point, placed in free slots.
- handling times: mean and spread of served contacts' handling in the last 90 days (lognormal),
  the staffing plan's defaults where there are none; patience: estimated from abandoned contacts
  where there are enough, else defaults; no-show: the share of booked citizens who did not come.
- services: the forecast is per channel, so each (point, channel) demand is divided between the
  TOP_SERVICES services with most contacts in the history and "other errands", by their shares of
  that point's and channel's contacts (of the channel's, where the point has none). A service's
  handling time is its own where the history has enough served contacts, else the channel's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, StdDev, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.models import Service
from indgang.insight.erlang import erlang_c_required
from indgang.insight.forecast import average_handling_seconds, closed_days, forecast_demand
from indgang.insight.models import Contact, ContactChannel, ContactOutcome
from indgang.insight.staffing_plan import (
    DEFAULT_HANDLING_SECONDS,
    HANDLING_HISTORY_DAYS,
    average_patience_seconds,
)
from indgang.places.models import ServiceOffering, ServicePoint, ServicePointKind
from indgang.places.selectors import (
    closing_day_rules,
    service_point_list,
    service_point_schedule,
    service_point_weekly_rules,
)
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import Desk

from .scenario import (
    DEFAULT_COST_PER_HOUR,
    DEFAULT_SERVICE_LEVELS,
    MAX_DAYS,
    WEEKDAYS,
    ScenarioError,
    format_minute,
    scenario_from_dict,
)

HISTORY_DAYS = 365
# insight's channel → the scenario's channel; written channels (e-mail, web forms, letters,
# social media) are answered later, not while the citizen waits, and are not simulated.
CHANNELS = {
    ContactChannel.COUNTER: "counter",
    ContactChannel.APPOINTMENT: "appointment",
    ContactChannel.ASSISTED: "assisted_self_service",
    ContactChannel.PHONE: "phone",
    ContactChannel.CHAT: "chat",
    ContactChannel.SELF_SERVICE: "self_service",
}
PHYSICAL_CHANNELS = (ContactChannel.COUNTER, ContactChannel.APPOINTMENT, ContactChannel.ASSISTED)
REMOTE_KIND_CHANNEL = {
    ServicePointKind.PHONE: ContactChannel.PHONE,
    ServicePointKind.CHAT: ContactChannel.CHAT,
}
PHYSICAL_KINDS = (ServicePointKind.TOWN_HALL, ServicePointKind.LIBRARY)
COUNTER_DESKS = (DeskKind.COUNTER, DeskKind.PRIVATE_ROOM)
# Spread of handling times when the history has too few to measure it (coefficient of variation).
DEFAULT_HANDLING_CV = 0.6
MIN_FOR_SPREAD = 10
# Patience in minutes where the history has too few abandoned contacts (as examples/baseline.yaml).
DEFAULT_PATIENCE = {
    ContactChannel.COUNTER: {"distribution": "lognormal", "mean": 40.0, "cv": 0.7},
    ContactChannel.ASSISTED: {"distribution": "lognormal", "mean": 30.0, "cv": 0.7},
    ContactChannel.PHONE: {"distribution": "exponential", "mean": 4.0},
    ContactChannel.CHAT: {"distribution": "exponential", "mean": 8.0},
}
# Phone and chat are staffed so this share is answered within the channel's service level.
ANSWER_TARGET = 0.8
DEFAULT_SLOT_MINUTES = 15
SELF_SERVICE_POINT = "selvbetjening"
ALL_ERRANDS = "all"
OTHER_ERRANDS = "other"
TOP_SERVICES = 6
# A service's own handling time needs this many served contacts with a handling time.
MIN_FOR_SERVICE_HANDLING = 20
_NOT_ID = re.compile(r"[^a-z0-9_-]+")


class NoContactHistory(ScenarioError):
    """There are no contacts to forecast from."""


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _minutes(clock: dt.time) -> int:
    # 00:00 as closing time means midnight (see places.models.hours.validate_period).
    return clock.hour * 60 + clock.minute


def _unique_id(slug: str, taken: set[str]) -> str:
    base = _NOT_ID.sub("-", slug.lower()).strip("-_")[:46] or "point"
    chosen, n = base, 2
    while chosen in taken or chosen == SELF_SERVICE_POINT:
        chosen, n = f"{base}-{n}", n + 1
    taken.add(chosen)
    return chosen


# -- history ---------------------------------------------------------------------------------------


def _history_shares(
    *, first: dt.date, today: dt.date
) -> tuple[dict[str, dict[tuple[int, int], dict[int, float]]], dict[str, dict[int, float]]]:
    """Contacts per channel, (weekday, hour) and service point in the history, and per point.

    Returns ({channel: {(weekday, hour): {point pk: n}}}, {channel: {point pk: n}}).
    """
    tz = _tz()
    rows = (
        Contact.objects.filter(
            arrived_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
            arrived_at__lt=dt.datetime.combine(today, dt.time(), tzinfo=tz),
            channel__in=[*PHYSICAL_CHANNELS, ContactChannel.PHONE, ContactChannel.CHAT],
            service_point__isnull=False,
        )
        .order_by()
        .values_list("channel", "service_point_id", "arrived_at", "count")
    )
    by_hour: dict[str, dict[tuple[int, int], dict[int, float]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(float))
    )
    overall: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for channel, point_pk, arrived_at, n in rows.iterator(chunk_size=5000):
        local = arrived_at.astimezone(tz)
        by_hour[channel][(local.weekday(), local.hour)][point_pk] += n
        overall[channel][point_pk] += n
    return by_hour, overall


def _handling(channel: str, since: dt.datetime) -> dict:
    """The channel's handling time in minutes as a lognormal distribution."""
    mean = average_handling_seconds(channel=channel, since=since)
    cv = DEFAULT_HANDLING_CV
    if mean is None:
        mean = DEFAULT_HANDLING_SECONDS[channel]
    else:
        spread = Contact.objects.filter(
            channel=channel,
            arrived_at__gte=since,
            handle_seconds__isnull=False,
            outcome=ContactOutcome.SERVED,
        ).aggregate(n=Count("pk"), sd=StdDev("handle_seconds"))
        if spread["n"] >= MIN_FOR_SPREAD and spread["sd"] and mean > 0:
            cv = min(3.0, max(0.1, spread["sd"] / mean))
    return {"distribution": "lognormal", "mean": round(max(mean, 6.0) / 60, 2), "cv": round(cv, 2)}


def _patience(channel: str, since: dt.datetime) -> dict | None:
    if channel == ContactChannel.APPOINTMENT:
        return None  # a booked citizen does not give up in the waiting room
    seconds = average_patience_seconds(channel=channel, since=since)
    if seconds:
        return {"distribution": "exponential", "mean": round(max(seconds, 6.0) / 60, 2)}
    return DEFAULT_PATIENCE[channel]


def _no_show(*, point_pk: int, since: dt.datetime) -> float:
    """Share of booked citizens at the point (else anywhere) who did not come."""
    for rows in (
        Contact.objects.filter(
            channel=ContactChannel.APPOINTMENT, arrived_at__gte=since, service_point_id=point_pk
        ),
        Contact.objects.filter(channel=ContactChannel.APPOINTMENT, arrived_at__gte=since),
    ):
        counts = rows.aggregate(
            all=Count("pk"), missed=Count("pk", filter=Q(outcome=ContactOutcome.NO_SHOW))
        )
        if counts["all"]:
            return round(counts["missed"] / counts["all"], 3)
    return 0.0


def _slot_minutes(point: ServicePoint) -> int:
    """The mean appointment length of the services booked at the point, in 5-minute steps."""
    mean = ServiceOffering.objects.filter(
        service_point=point,
        by_appointment=True,
        service__in=Service.objects.published(),
        service__appointment_minutes__gt=0,
    ).aggregate(m=Avg("service__appointment_minutes"))["m"]
    if not mean:
        return DEFAULT_SLOT_MINUTES
    return int(min(240, max(5, 5 * round(mean / 5))))


# -- opening hours and staff ----------------------------------------------------------------------


def _weekly_hours(point: ServicePoint, on: dt.date) -> dict[int, list[tuple[int, int]]]:
    """Opening intervals per weekday (minutes), from the rules in force on a date, merged."""
    days: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for rule in service_point_weekly_rules(point=point, on=on):
        if rule.stop_id is not None:
            continue
        start, end = _minutes(rule.opens), _minutes(rule.closes) or 24 * 60
        if end > start:
            days[rule.weekday].append((start, end))
    merged: dict[int, list[tuple[int, int]]] = {}
    for weekday, intervals in days.items():
        out: list[tuple[int, int]] = []
        for start, end in sorted(intervals):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        merged[weekday] = out
    return merged


def _hours_dict(hours: dict[int, list[tuple[int, int]]]) -> dict[str, str]:
    return {
        WEEKDAYS[d]: ", ".join(f"{format_minute(a)}-{format_minute(b)}" for a, b in hours[d])
        for d in sorted(hours)
        if hours[d]
    }


def _staff_blocks(pieces: list[tuple[int, int, int, int]]) -> list[dict]:
    """(weekday, start, end, agents) pieces → staff blocks, equal times on several days joined."""
    grouped: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for weekday, start, end, agents in pieces:
        if agents > 0 and end > start:
            grouped[(start, end, agents)].append(weekday)
    blocks = sorted(grouped.items(), key=lambda item: (min(item[1]), item[0]))
    return [
        {
            "days": [WEEKDAYS[d] for d in sorted(days)],
            "from": format_minute(a),
            "to": format_minute(b),
            "agents": n,
        }
        for (a, b, n), days in blocks
    ]


def _desk_blocks(hours: dict[int, list[tuple[int, int]]], agents: int) -> list[dict]:
    return _staff_blocks(
        [(d, a, b, agents) for d, intervals in hours.items() for a, b in intervals]
    )


def _erlang_blocks(
    hours: dict[int, list[tuple[int, int]]],
    per_hour: dict[int, list[float]],
    *,
    aht_seconds: float,
    answer_seconds: int,
) -> list[dict]:
    """Agents per opening hour by Erlang C on the hour's expected contacts (at least one)."""
    pieces = []
    for weekday, intervals in hours.items():
        for start, end in intervals:
            runs: list[list[int]] = []  # [start, end, agents]
            cursor = start
            while cursor < end:
                hour = cursor // 60
                stop = min(end, (hour + 1) * 60)
                calls = per_hour.get(weekday, [0.0] * 24)[hour]
                agents = 1
                if calls > 0:
                    agents = max(
                        1,
                        erlang_c_required(
                            calls=calls,
                            interval_seconds=3600,
                            aht_seconds=aht_seconds,
                            target=ANSWER_TARGET,
                            answer_time_seconds=answer_seconds,
                        ).agents,
                    )
                if runs and runs[-1][2] == agents:
                    runs[-1][1] = stop
                else:
                    runs.append([cursor, stop, agents])
                cursor = stop
            pieces += [(weekday, a, b, n) for a, b, n in runs]
    return _staff_blocks(pieces)


# -- demand ---------------------------------------------------------------------------------------


class _Demand:
    """The forecast as mean contacts per weekday and hour on the horizon's open days."""

    def __init__(self, *, start: dt.date, days: int, today: dt.date, history_days: int):
        forecast = forecast_demand(
            start=start,
            days=days,
            channels=list(CHANNELS),
            history_days=history_days,
            today=today,
        )
        last = start + dt.timedelta(days=days - 1)
        closed = set(closed_days(start, last))
        self.open_days = [0] * 7  # days of each weekday in the horizon that are not closed
        for i in range(days):
            day = start + dt.timedelta(days=i)
            if day not in closed:
                self.open_days[day.weekday()] += 1
        # channel → weekday → 24 hourly means
        self.per_hour: dict[str, dict[int, list[float]]] = {}
        self.horizon_total: dict[str, float] = {}
        for channel, series in forecast.series.items():
            sums = {d: [0.0] * 24 for d in range(7)}
            total = 0.0
            for interval in series:
                moment = interval.start
                if moment.date() in closed:
                    continue
                sums[moment.weekday()][moment.hour] += interval.expected
                total += interval.expected
            self.per_hour[channel] = {
                d: [value / self.open_days[d] for value in sums[d]]
                for d in range(7)
                if self.open_days[d]
            }
            self.horizon_total[channel] = total

    def split(
        self,
        channel: str,
        point_pks: list[int],
        by_hour: dict[tuple[int, int], dict[int, float]],
        overall: dict[int, float],
    ) -> dict[int, dict[int, list[float]]]:
        """{point pk: {weekday: hourly means}}: the channel's demand shared by the history."""
        everyone = sum(overall.values())
        fallback = (
            {pk: overall.get(pk, 0.0) / everyone for pk in point_pks}
            if everyone
            else {pk: 1.0 / len(point_pks) for pk in point_pks}
        )
        out: dict[int, dict[int, list[float]]] = {pk: {} for pk in point_pks}
        for weekday, hours in self.per_hour.get(channel, {}).items():
            for pk in point_pks:
                out[pk][weekday] = [0.0] * 24
            for hour, value in enumerate(hours):
                if value <= 0:
                    continue
                seen = by_hour.get((weekday, hour), {})
                seen_total = sum(seen.values())
                for pk in point_pks:
                    share = seen.get(pk, 0.0) / seen_total if seen_total else fallback[pk]
                    out[pk][weekday][hour] += value * share
        return out


def _demand_entries(
    point_id: str, channel: str, hourly: dict[int, list[float]], profiles: dict
) -> list[dict]:
    """One demand entry per weekday with its own profile (the weekday's hours exactly)."""
    scenario_channel = CHANNELS[channel]
    entries = []
    for weekday in sorted(hourly):
        hours = hourly[weekday]
        per_day = sum(hours)
        weights = {h: round(v, 4) for h, v in enumerate(hours) if round(v, 4) > 0}
        if per_day < 0.005 or not weights:
            continue
        name = f"{point_id}-{scenario_channel}-{WEEKDAYS[weekday]}"
        profiles[name] = {"weekdays": {WEEKDAYS[weekday]: 1}, "hours": weights}
        # With a one-weekday profile, per_week is what arrives on each such day.
        entries.append(
            {
                "point": point_id,
                "channel": scenario_channel,
                "per_week": round(per_day, 2),
                "profile": name,
            }
        )
    return entries


def _services(
    entries: list[tuple[str, int | None, dict]],
    *,
    handling: dict[str, dict],
    first: dt.date,
    today: dt.date,
    since: dt.datetime,
) -> list[dict]:
    """The demand entries divided between the largest services and the other errands."""
    tz = _tz()
    rows = (
        Contact.objects.filter(
            arrived_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
            arrived_at__lt=dt.datetime.combine(today, dt.time(), tzinfo=tz),
            channel__in=list(CHANNELS),
        )
        .values_list("channel", "service_point", "service")
        .annotate(n=Sum("count"))
        .order_by()
    )
    mix: dict[tuple[str, int | None], dict[int | None, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    per_channel: dict[str, dict[int | None, float]] = defaultdict(lambda: defaultdict(float))
    by_service: dict[int, float] = defaultdict(float)
    for channel, point_pk, service_pk, n in rows:
        mix[(channel, point_pk)][service_pk] += n
        per_channel[channel][service_pk] += n
        if service_pk is not None:
            by_service[service_pk] += n
    top_pks = sorted(by_service, key=lambda pk: (-by_service[pk], pk))[:TOP_SERVICES]
    top = {s.pk: s for s in Service.objects.filter(pk__in=top_pks)}
    top_pks = [pk for pk in top_pks if pk in top]
    channel_handling = {CHANNELS[c]: spec for c, spec in handling.items()}
    if not top_pks:
        return [
            {
                "id": ALL_ERRANDS,
                "name": _("All errands"),
                "handling": channel_handling,
                "demand": [entry for _c, _p, entry in entries],
            }
        ]

    own_handling: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in (
        Contact.objects.filter(
            service__in=top_pks,
            channel__in=[c for c in CHANNELS if c != ContactChannel.SELF_SERVICE],
            arrived_at__gte=since,
            handle_seconds__isnull=False,
            outcome=ContactOutcome.SERVED,
        )
        .values("service", "channel")
        .annotate(n=Count("pk"), mean=Avg("handle_seconds"), sd=StdDev("handle_seconds"))
        .order_by()
    ):
        if row["n"] >= MIN_FOR_SERVICE_HANDLING and row["mean"]:
            cv = min(3.0, max(0.1, (row["sd"] or 0) / row["mean"]))
            own_handling[row["service"]][CHANNELS[row["channel"]]] = {
                "distribution": "lognormal",
                "mean": round(max(row["mean"], 6.0) / 60, 2),
                "cv": round(cv, 2),
            }

    keys: list[int | None] = [*top_pks, None]
    demand: dict[int | None, list[dict]] = {key: [] for key in keys}
    for channel, point_pk, entry in entries:
        counts = mix.get((channel, point_pk)) or per_channel.get(channel) or {None: 1.0}
        total = sum(counts.values())
        for key in keys:
            if key is None:
                share = sum(n for pk, n in counts.items() if pk not in top) / total
            else:
                share = counts.get(key, 0.0) / total
            value = round(entry["per_week"] * share, 2)
            if value > 0:
                demand[key].append({**entry, "per_week": value})

    taken: set[str] = {OTHER_ERRANDS}
    out = []
    for key in keys:
        if not demand[key]:
            continue
        if key is None:
            service_id, name = OTHER_ERRANDS, _("Other errands")
        else:
            service_id, name = _unique_id(top[key].slug, taken), top[key].title
        out.append(
            {
                "id": service_id,
                "name": name,
                "handling": {**channel_handling, **own_handling.get(key, {})},
                "demand": demand[key],
            }
        )
    return out


# -- the scenario ---------------------------------------------------------------------------------


def scenario_from_data(
    *, start: dt.date, days: int, today: dt.date | None = None, history_days: int = HISTORY_DAYS
) -> dict:
    """Today's service model as scenario data (validated), for `days` days from `start`.

    Raises NoContactHistory when there are no contacts in the `history_days` before `today`.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    today = today or timezone.localdate()
    tz = _tz()
    first = today - dt.timedelta(days=history_days)
    if not Contact.objects.filter(
        arrived_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=tz),
        arrived_at__lt=dt.datetime.combine(today, dt.time(), tzinfo=tz),
        channel__in=list(CHANNELS),
    ).exists():
        raise NoContactHistory(
            [
                _(
                    "There is no contact history to start from (no counter, appointment, phone, "
                    "chat or self-service contacts in the year before %(today)s). Import contacts "
                    "(indgang insight import-calls / import-self-service) or create the demo "
                    "history with `indgang insight demo-history`."
                )
                % {"today": today.isoformat()}
            ]
        )
    demand = _Demand(start=start, days=days, today=today, history_days=history_days)
    by_hour, overall = _history_shares(first=first, today=today)
    since = dt.datetime.combine(today - dt.timedelta(days=HANDLING_HISTORY_DAYS), dt.time(), tz)
    handling = {c: _handling(c, since) for c in CHANNELS if c != ContactChannel.SELF_SERVICE}
    # Patience is measured per channel, not per point: one query each, not one per point.
    patience = {c: _patience(c, since) for c in CHANNELS if c != ContactChannel.SELF_SERVICE}

    points_all = service_point_list()
    physical = [p for p in points_all if p.kind in PHYSICAL_KINDS]
    remote = [p for p in points_all if p.kind in REMOTE_KIND_CHANNEL]
    skipped = [p.name for p in points_all if p.kind == ServicePointKind.CITIZEN_BUS]
    desks: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        Desk.objects.filter(active=True, service_point__in=physical)
        .values("service_point", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        desks[(row["service_point"], row["kind"])] += row["n"]

    hours_of = {p.pk: _weekly_hours(p, start) for p in physical + remote}
    closing = closing_day_rules()
    taken: set[str] = set()
    ids = {p.pk: _unique_id(p.slug, taken) for p in physical + remote}
    profiles: dict[str, dict] = {}
    demand_entries: list[tuple[str, int | None, dict]] = []
    points: list[dict] = []
    last = start + dt.timedelta(days=days - 1)

    def closed_dates(point: ServicePoint) -> list[str]:
        # The point's own closed days and the municipality's closing days; public holidays are
        # the simulator's own `public_holidays`.
        schedule = service_point_schedule(point=point, closing_days=closing)
        return [
            day.date.isoformat()
            for day in schedule.days(start, last)
            if day.closed_reason in ("exception", "closing_day")
        ]

    def point_dict(point: ServicePoint, channels: dict) -> dict:
        out = {"id": ids[point.pk], "name": point.name}
        found = closed_dates(point)
        if found:
            out["closed_dates"] = found
        if not point.follows_public_holidays:
            out["follows_public_holidays"] = False
        out["channels"] = channels
        return out

    open_physical = [p for p in physical if hours_of[p.pk]]
    split = {
        channel: demand.split(
            channel, [p.pk for p in open_physical], by_hour.get(channel, {}), overall[channel]
        )
        if open_physical
        else {}
        for channel in PHYSICAL_CHANNELS
    }
    for point in open_physical:
        hours = hours_of[point.pk]
        weekly = {
            c: sum(sum(h) for h in split[c][point.pk].values()) if split[c] else 0.0
            for c in PHYSICAL_CHANNELS
        }
        counter_desks = sum(desks[(point.pk, kind)] for kind in COUNTER_DESKS)
        stations = desks[(point.pk, DeskKind.STATION)]
        agents: dict[str, int] = {}
        walk_in = weekly[ContactChannel.COUNTER] >= 0.005
        booked = weekly[ContactChannel.APPOINTMENT] >= 0.005
        if booked and walk_in and counter_desks >= 2:
            work = {
                c: weekly[c] * handling[c]["mean"] for c in (ContactChannel.COUNTER, "appointment")
            }
            share = work["appointment"] / (work["appointment"] + work[ContactChannel.COUNTER])
            agents["appointment"] = min(counter_desks - 1, max(1, round(counter_desks * share)))
            agents["counter"] = counter_desks - agents["appointment"]
        else:
            if walk_in or counter_desks:
                agents["counter"] = max(1, counter_desks)
            if booked:
                agents["appointment"] = max(1, counter_desks)
        if weekly[ContactChannel.ASSISTED] >= 0.005 or stations:
            agents["assisted_self_service"] = max(1, stations)
        channels: dict[str, dict] = {}
        for channel in PHYSICAL_CHANNELS:
            name = CHANNELS[channel]
            if name not in agents:
                continue
            config = {
                "hours": _hours_dict(hours),
                "staff": _desk_blocks(hours, agents[name]),
                "cost_per_hour": DEFAULT_COST_PER_HOUR,
            }
            if patience[channel]:
                config["patience"] = patience[channel]
            if name == "appointment":
                config["slot_minutes"] = _slot_minutes(point)
                config["no_show"] = _no_show(point_pk=point.pk, since=since)
            if name == "assisted_self_service":
                # The history's handling time already includes the help, so no extra factor.
                config["assist_factor"] = 1.0
            channels[name] = config
            if split[channel]:
                hourly = split[channel][point.pk]
                if channel == ContactChannel.APPOINTMENT:
                    # Bookings are spread over the free slots of the horizon: one weekly volume.
                    total = sum(sum(hourly[d]) * demand.open_days[d] for d in hourly)
                    if total >= 0.005:
                        entry = {
                            "point": ids[point.pk],
                            "channel": name,
                            "per_week": round(total * 7 / days, 2),
                        }
                        demand_entries.append((channel, point.pk, entry))
                else:
                    demand_entries += [
                        (channel, point.pk, entry)
                        for entry in _demand_entries(ids[point.pk], channel, hourly, profiles)
                    ]
        if channels:
            points.append(point_dict(point, channels))

    for channel in (ContactChannel.PHONE, ContactChannel.CHAT):
        lines = [p for p in remote if REMOTE_KIND_CHANNEL[p.kind] == channel and hours_of[p.pk]]
        if not lines:
            continue
        shares = demand.split(
            channel, [p.pk for p in lines], by_hour.get(channel, {}), overall[channel]
        )
        name = CHANNELS[channel]
        for point in lines:
            hourly = shares[point.pk]
            config = {
                "hours": _hours_dict(hours_of[point.pk]),
                "staff": _erlang_blocks(
                    hours_of[point.pk],
                    hourly,
                    aht_seconds=handling[channel]["mean"] * 60,
                    answer_seconds=DEFAULT_SERVICE_LEVELS[name],
                ),
                "cost_per_hour": DEFAULT_COST_PER_HOUR,
                "patience": patience[channel],
            }
            points.append(point_dict(point, {name: config}))
            demand_entries += [
                (channel, point.pk, entry)
                for entry in _demand_entries(ids[point.pk], channel, hourly, profiles)
            ]

    self_service = demand.per_hour.get(ContactChannel.SELF_SERVICE)
    if self_service and demand.horizon_total.get(ContactChannel.SELF_SERVICE, 0) > 0:
        points.append(
            {
                "id": SELF_SERVICE_POINT,
                "name": _("Self-service on the website"),
                "channels": {"self_service": {"hours": "always"}},
            }
        )
        demand_entries += [
            (ContactChannel.SELF_SERVICE, None, entry)
            for entry in _demand_entries(
                SELF_SERVICE_POINT, ContactChannel.SELF_SERVICE, self_service, profiles
            )
        ]

    if not points:
        raise NoContactHistory(
            [_("There are no published service points with opening hours to simulate.")]
        )
    left_out = [
        _("written channels (e-mail, web forms, letters, social media)"),
        *[
            _("%(name)s (its stops move, which a scenario cannot describe)") % {"name": name}
            for name in skipped
        ],
    ]
    description = _(
        "Today's service model from the municipality's own data: opening hours in force on "
        "%(start)s, desks as staff, phone and chat staffed by Erlang C, demand from the forecast "
        "fitted on the contacts of the %(history)d days before %(today)s, handling and patience "
        "from that history. The walk-ins the simulation draws on public holidays and closing "
        "days are turned away. "
        "Left out: %(left_out)s."
    ) % {
        "start": start.isoformat(),
        "history": history_days,
        "today": today.isoformat(),
        "left_out": "; ".join(str(item) for item in left_out),
    }
    data = {
        "name": _("Today, from our data (%(start)s)") % {"start": start.isoformat()},
        "description": description,
        "start": start.isoformat(),
        "days": days,
        "public_holidays": True,
        "service_levels": dict(DEFAULT_SERVICE_LEVELS),
        "profiles": profiles,
        "points": points,
        "services": _services(
            demand_entries, handling=handling, first=first, today=today, since=since
        ),
    }
    # The same checks as a file a manager writes; a failure here is a bug in this module.
    scenario_from_dict(data)
    return data


def scenario_yaml_from_data(*, start: dt.date, days: int, today: dt.date | None = None) -> str:
    """`scenario_from_data` as the YAML a manager edits (docs/scenarios.md)."""
    return scenario_from_dict(scenario_from_data(start=start, days=days, today=today)).to_yaml()
