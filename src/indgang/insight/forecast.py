"""Demand forecast: contacts per channel per 30-minute local interval for the coming weeks.

Fitted per channel on the Contact rows (sum of `count`, by `arrived_at`) of the `history_days`
before `today`, in the municipality's time zone. The model is multiplicative:

    expected(day, slot) = level(day) × weekday_factor[weekday] × profile[weekday][slot] × holiday

- profile: the share of a weekday's contacts that falls in each 30-minute slot, a weighted mean of
  each past day's shares. Weights halve every HALF_LIFE_WEEKS, so recent weeks count more and no
  single odd day (a system outage, a storm) decides the pattern.
- weekday_factor: a weekday's level relative to the average day, weighted the same way.
- level: the weekday-adjusted daily level. A robust linear trend (Theil–Sen: the median of the
  slopes between all pairs of weeks, so one bad week cannot tilt it) through the last TREND_WEEKS
  weekly means, extrapolated for up to TREND_HORIZON_DAYS and flat after that. With more than a
  year of history the level instead follows last year's movement by week of year (seasonal peaks
  such as passports before summer), scaled by how this year compares with last year.
- holiday: Danish public holidays and the municipality's closing days (the places app) are left out
  of the fit. They get the level observed on past holidays as a share of a normal day: zero when
  the municipality was closed (or history has no holiday), something when self-service or the phone
  line was still used.

Pure Python on purpose: a year of one channel is 365 × 48 numbers, far below what needs numpy.
Daylight saving time: days are cut at local midnight, so the spring change day has 46 intervals and
the autumn one 50; history is grouped by local wall-clock slot, which adds the autumn day's two
02:00–03:00 hours together (night hours, where citizen service has next to no demand).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Case, IntegerField, Sum, Value, When
from django.db.models.functions import ExtractHour, ExtractMinute, TruncDate
from django.utils import timezone

from indgang.places.hours import danish_public_holidays, local_instant
from indgang.places.selectors import closing_day_rules

from .models import Contact, ContactChannel, ContactOutcome

INTERVAL_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // INTERVAL_MINUTES
HALF_LIFE_WEEKS = 8
TREND_WEEKS = 12
TREND_HORIZON_DAYS = 28
# A weekday whose factor is below this (e.g. a Sunday with a stray contact) is not used to
# estimate the level: dividing by a near-zero factor would blow up its noise.
MIN_FACTOR_FOR_LEVEL = 0.2
# Seasonality by week of year needs last year's same weeks plus the weeks before "today" last year.
SEASONAL_REFERENCE_DAYS = 28
SEASONAL_WINDOW_DAYS = 3
YEAR_DAYS = 364  # 52 weeks, so last year's same date is the same weekday


@dataclass(frozen=True)
class IntervalForecast:
    start: dt.datetime  # aware, in the municipality's time zone
    expected: float

    @property
    def end(self) -> dt.datetime:
        return (self.start.astimezone(dt.UTC) + dt.timedelta(minutes=INTERVAL_MINUTES)).astimezone(
            self.start.tzinfo
        )


@dataclass(frozen=True)
class ChannelFit:
    """What the forecast learnt about one channel, for reports and tests."""

    channel: str
    level_today: float  # weekday-adjusted contacts per day at `today`
    slope_per_day: float  # change of that level per day
    weekday_factors: tuple[float, ...]  # Monday first; 1.0 is an average day
    profiles: tuple[tuple[float, ...], ...]  # per weekday, 48 shares summing to 1 (or 0)
    holiday_factor: float  # a holiday's level as a share of a normal day
    seasonal: bool  # True when the level follows last year's weeks
    history_days: int  # days with data used
    seasonal_levels: dict[dt.date, float] = field(default_factory=dict, repr=False)

    def level_on(self, day: dt.date, today: dt.date) -> float:
        if self.seasonal and day in self.seasonal_levels:
            return self.seasonal_levels[day]
        # The trend of the last weeks says little about next season: it is held flat after
        # TREND_HORIZON_DAYS, so a plan months ahead does not run off to zero or double.
        ahead = min((day - today).days, TREND_HORIZON_DAYS)
        return max(0.0, self.level_today + self.slope_per_day * ahead)


@dataclass
class Forecast:
    start: dt.date
    days: int
    channels: list[str]
    series: dict[str, list[IntervalForecast]]
    fits: dict[str, ChannelFit] = field(default_factory=dict)
    interval_minutes: int = INTERVAL_MINUTES

    def day_totals(self, channel: str) -> dict[dt.date, float]:
        totals: dict[dt.date, float] = defaultdict(float)
        for interval in self.series.get(channel, []):
            totals[interval.start.date()] += interval.expected
        return {self.start + dt.timedelta(days=i): 0.0 for i in range(self.days)} | dict(totals)


@dataclass(frozen=True)
class Accuracy:
    mape: float | None  # mean absolute percentage error over intervals with actual > 0, in %
    wape: float | None  # sum |error| / sum actual, in %
    actual_total: float
    forecast_total: float
    intervals: int
    baseline: Accuracy | None = None  # the same for the naive forecast (same interval last week)


# -- time -------------------------------------------------------------------------------------------


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """Local midnight as a UTC instant (arithmetic in UTC keeps DST days right)."""
    return local_instant(day, dt.time(0, 0), tz)


def day_intervals(day: dt.date, tz: ZoneInfo | None = None) -> list[dt.datetime]:
    """The starts of a local day's 30-minute intervals, aware in `tz`: 48, or 46/50 on DST days."""
    tz = tz or _tz()
    start, end = _day_start(day, tz), _day_start(day + dt.timedelta(days=1), tz)
    count = int((end - start) / dt.timedelta(minutes=INTERVAL_MINUTES))
    step = dt.timedelta(minutes=INTERVAL_MINUTES)
    return [(start + i * step).astimezone(tz) for i in range(count)]


def slot_of(moment: dt.datetime) -> int:
    """The wall-clock slot (0 = 00:00–00:30 … 47 = 23:30–24:00) of a local datetime."""
    return moment.hour * 2 + moment.minute // INTERVAL_MINUTES


def closed_days(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Public holidays and municipal closing days between two dates, with their names."""
    rules = closing_day_rules()
    found: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in danish_public_holidays(year).items():
            if first <= day <= last:
                found[day] = name
        for rule in rules:
            day = rule.date_in(year)
            if day is not None and first <= day <= last:
                found.setdefault(day, rule.name)
    return found


# -- history ----------------------------------------------------------------------------------------


def interval_counts(
    *, channels: list[str] | None, first: dt.date, last: dt.date
) -> dict[str, dict[dt.date, list[float]]]:
    """Contacts per channel, local date and wall-clock slot, from `first` to `last` inclusive."""
    tz = _tz()
    qs = Contact.objects.filter(
        arrived_at__gte=_day_start(first, tz),
        arrived_at__lt=_day_start(last + dt.timedelta(days=1), tz),
    ).order_by()  # the model's ordering would split the groups and cost a sort
    if channels is not None:
        qs = qs.filter(channel__in=channels)
    counts: dict[str, dict[dt.date, list[float]]] = defaultdict(dict)
    if connection.vendor == "postgresql":
        # PostgreSQL groups a year of contacts into at most 365 × 48 rows a channel.
        rows = (
            qs.annotate(
                day=TruncDate("arrived_at", tzinfo=tz),
                hour=ExtractHour("arrived_at", tzinfo=tz),
                minute=ExtractMinute("arrived_at", tzinfo=tz),
            )
            .annotate(
                half=Case(
                    When(minute__gte=INTERVAL_MINUTES, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .values_list("channel", "day", "hour", "half")
            .annotate(n=Sum("count"))
        )
        for channel, day, hour, half, n in rows:
            per_day = counts[channel].setdefault(day, [0.0] * SLOTS_PER_DAY)
            per_day[hour * 2 + half] += float(n or 0)
    else:
        # SQLite's time zone functions run in Python once per row and take ten times longer than
        # reading the rows and converting them here.
        for channel, arrived_at, n in qs.values_list("channel", "arrived_at", "count").iterator(
            chunk_size=5000
        ):
            local = arrived_at.astimezone(tz)
            per_day = counts[channel].setdefault(local.date(), [0.0] * SLOTS_PER_DAY)
            per_day[slot_of(local)] += float(n)
    return dict(counts)


def average_handling_seconds(*, channel: str, since: dt.datetime | dt.date) -> float | None:
    """Mean handling time of served contacts in a channel since a moment; None without data."""
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
        since = _day_start(since, _tz())
    value = Contact.objects.filter(
        channel=channel,
        arrived_at__gte=since,
        handle_seconds__isnull=False,
        outcome=ContactOutcome.SERVED,
    ).aggregate(avg=Avg("handle_seconds"))["avg"]
    return float(value) if value is not None else None


# -- fitting ----------------------------------------------------------------------------------------


def _weight(day: dt.date, today: dt.date) -> float:
    return 0.5 ** (((today - day).days / 7) / HALF_LIFE_WEEKS)


def _theil_sen(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(intercept, slope) of the robust line through points; slope 0 with fewer than 3 points."""
    if not points:
        return 0.0, 0.0
    if len(points) < 3:
        return sum(y for _, y in points) / len(points), 0.0
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    ]
    slope = median(slopes) if slopes else 0.0
    intercept = median(y - slope * x for x, y in points)
    return intercept, slope


def _fit_channel(
    channel: str,
    days: dict[dt.date, list[float]],
    *,
    today: dt.date,
    holidays: dict[dt.date, str],
    horizon: list[dt.date],
) -> ChannelFit:
    seen = sorted(d for d, slots in days.items() if sum(slots) > 0)
    empty = ChannelFit(
        channel=channel,
        level_today=0.0,
        slope_per_day=0.0,
        weekday_factors=(0.0,) * 7,
        profiles=((0.0,) * SLOTS_PER_DAY,) * 7,
        holiday_factor=0.0,
        seasonal=False,
        history_days=0,
    )
    if not seen:
        return empty
    # Days before the channel's first contact are "no data", not "no demand".
    history = [seen[0] + dt.timedelta(days=i) for i in range((today - seen[0]).days)]
    totals = {d: sum(days.get(d, ())) for d in history}
    normal = [d for d in history if d not in holidays]

    # Weekday factors: weighted mean daily total per weekday against the mean of the weekdays.
    means = []
    for weekday in range(7):
        chosen = [d for d in normal if d.weekday() == weekday]
        weight = sum(_weight(d, today) for d in chosen)
        means.append(sum(_weight(d, today) * totals[d] for d in chosen) / weight if weight else 0.0)
    present = [m for weekday, m in enumerate(means) if any(d.weekday() == weekday for d in normal)]
    average = sum(present) / len(present) if present else 0.0
    if average <= 0:
        return empty
    factors = tuple(m / average for m in means)

    # Profiles: weighted mean of each day's shares per slot.
    profiles = []
    for weekday in range(7):
        shares = [0.0] * SLOTS_PER_DAY
        weight_sum = 0.0
        for d in normal:
            if d.weekday() != weekday or totals[d] <= 0:
                continue
            weight = _weight(d, today)
            weight_sum += weight
            for slot, value in enumerate(days[d]):
                shares[slot] += weight * value / totals[d]
        profiles.append(tuple(s / weight_sum for s in shares) if weight_sum else shares)
    profiles = [tuple(p) for p in profiles]

    # The weekday-adjusted level of each usable day, then the trend through weekly means.
    adjusted = {
        d: totals[d] / factors[d.weekday()]
        for d in normal
        if factors[d.weekday()] >= MIN_FACTOR_FOR_LEVEL
    }
    weeks: dict[dt.date, list[tuple[dt.date, float]]] = defaultdict(list)
    for d, value in adjusted.items():
        weeks[d - dt.timedelta(days=d.weekday())].append((d, value))
    recent_weeks = sorted(weeks)[-TREND_WEEKS:]
    points = []
    for monday in recent_weeks:
        entries = weeks[monday]
        x = sum((d - today).days for d, _ in entries) / len(entries)
        points.append((x, sum(v for _, v in entries) / len(entries)))
    level_today, slope = _theil_sen(points)

    # Holidays: the level seen on past holidays against a normal day around them.
    holiday_actual = holiday_expected = 0.0
    for d in history:
        if d not in holidays:
            continue
        around = [
            adjusted[n]
            for n in (d + dt.timedelta(days=k) for k in range(-7, 8))
            if n in adjusted and n != d
        ]
        if around:
            holiday_actual += totals[d]
            holiday_expected += factors[d.weekday()] * sum(around) / len(around)
    holiday_factor = holiday_actual / holiday_expected if holiday_expected > 0 else 0.0

    # Seasonality by week of year, when last year's same weeks and the weeks before are known.
    seasonal_levels: dict[dt.date, float] = {}
    reference_start = today - dt.timedelta(days=YEAR_DAYS + SEASONAL_REFERENCE_DAYS)
    if seen[0] <= reference_start and history:

        def mean_adjusted(a: dt.date, b: dt.date) -> float | None:
            values = [v for d, v in adjusted.items() if a <= d < b]
            return sum(values) / len(values) if values else None

        recent = mean_adjusted(today - dt.timedelta(days=SEASONAL_REFERENCE_DAYS), today)
        reference = mean_adjusted(reference_start, today - dt.timedelta(days=YEAR_DAYS))
        if recent and reference:
            for day in horizon:
                last_year = day - dt.timedelta(days=YEAR_DAYS)
                window = dt.timedelta(days=SEASONAL_WINDOW_DAYS)
                then = mean_adjusted(last_year - window, last_year + window + dt.timedelta(days=1))
                if then is not None and last_year < today:
                    seasonal_levels[day] = recent * then / reference

    return ChannelFit(
        channel=channel,
        level_today=level_today,
        slope_per_day=slope,
        weekday_factors=factors,
        profiles=tuple(profiles),
        holiday_factor=holiday_factor,
        seasonal=bool(seasonal_levels),
        history_days=len(history),
        seasonal_levels=seasonal_levels,
    )


def _channel_order(channels) -> list[str]:
    order = {value: i for i, value in enumerate(ContactChannel.values)}
    return sorted(set(channels), key=lambda c: order.get(c, len(order)))


def forecast_demand(
    *,
    start: dt.date,
    days: int,
    channels: list[str] | None = None,
    history_days: int = 365,
    today: dt.date | None = None,
) -> Forecast:
    """Expected contacts per channel and 30-minute interval for `days` days from `start`.

    Fitted on the `history_days` before `today` (default: the local date). Without `channels`,
    every channel with contacts in that history.
    """
    if days < 0 or history_days < 1:
        raise ValueError("days must be ≥ 0 and history_days ≥ 1")
    if channels is not None:
        unknown = set(channels) - set(ContactChannel.values)
        if unknown:
            raise ValueError(f"unknown channels: {', '.join(sorted(unknown))}")
    tz = _tz()
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=history_days)
    counts = interval_counts(channels=channels, first=first, last=today - dt.timedelta(days=1))
    chosen = _channel_order(channels if channels is not None else counts.keys())
    horizon = [start + dt.timedelta(days=i) for i in range(days)]
    holidays = closed_days(min(first, start), max(today, start + dt.timedelta(days=days)))
    intervals = {day: day_intervals(day, tz) for day in horizon}

    series: dict[str, list[IntervalForecast]] = {}
    fits: dict[str, ChannelFit] = {}
    for channel in chosen:
        fit = _fit_channel(
            channel,
            counts.get(channel, {}),
            today=today,
            holidays=holidays,
            horizon=horizon,
        )
        fits[channel] = fit
        out = []
        for day in horizon:
            daily = fit.level_on(day, today) * fit.weekday_factors[day.weekday()]
            if day in holidays:
                daily *= fit.holiday_factor
            profile = fit.profiles[day.weekday()]
            out.extend(
                IntervalForecast(start=moment, expected=daily * profile[slot_of(moment)])
                for moment in intervals[day]
            )
        series[channel] = out
    return Forecast(start=start, days=days, channels=chosen, series=series, fits=fits)


# -- accuracy ---------------------------------------------------------------------------------------


def _scores(pairs: list[tuple[float, float]]) -> Accuracy:
    """Scores of (forecast, actual) pairs."""
    actual_total = sum(a for _, a in pairs)
    forecast_total = sum(f for f, _ in pairs)
    errors = sum(abs(f - a) for f, a in pairs)
    positive = [(f, a) for f, a in pairs if a > 0]
    mape = 100 * sum(abs(f - a) / a for f, a in positive) / len(positive) if positive else None
    wape = 100 * errors / actual_total if actual_total > 0 else None
    return Accuracy(
        mape=mape,
        wape=wape,
        actual_total=actual_total,
        forecast_total=forecast_total,
        intervals=len(pairs),
    )


def forecast_accuracy(
    *,
    holdout_days: int = 28,
    channels: list[str] | None = None,
    today: dt.date | None = None,
    history_days: int = 365,
) -> dict[str, Accuracy]:
    """How well the forecast did on the last `holdout_days` before `today`, fitted without them.

    Compared per local (date, wall-clock slot). The naive baseline repeats the last week before the
    holdout (the same weekday and slot), the usual "same interval last week" forecast made at the
    same moment as ours, so both see the same history.
    """
    if holdout_days < 1:
        raise ValueError("holdout_days must be ≥ 1")
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=holdout_days)
    forecast = forecast_demand(
        start=cutoff,
        days=holdout_days,
        channels=channels,
        history_days=history_days,
        today=cutoff,
    )
    actual = interval_counts(
        channels=forecast.channels,
        first=cutoff - dt.timedelta(days=7),
        last=today - dt.timedelta(days=1),
    )
    result: dict[str, Accuracy] = {}
    for channel in forecast.channels:
        predicted: dict[tuple[dt.date, int], float] = defaultdict(float)
        for interval in forecast.series[channel]:
            predicted[(interval.start.date(), slot_of(interval.start))] += interval.expected
        observed = actual.get(channel, {})
        ours, naive = [], []
        for (day, slot), value in predicted.items():
            truth = observed.get(day, [0.0] * SLOTS_PER_DAY)[slot]
            ours.append((value, truth))
            week_before = cutoff - dt.timedelta(days=7 - (day - cutoff).days % 7)
            naive.append((observed.get(week_before, [0.0] * SLOTS_PER_DAY)[slot], truth))
        scores = _scores(ours)
        result[channel] = Accuracy(
            mape=scores.mape,
            wape=scores.wape,
            actual_total=scores.actual_total,
            forecast_total=scores.forecast_total,
            intervals=scores.intervals,
            baseline=_scores(naive),
        )
    return result
