"""Service points with their hours, bus stops, exceptions and the municipal closing days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from indgang.places.models import (
    BusStop,
    ClosingDay,
    HoursException,
    ServicePoint,
    SpecialPeriod,
    WeeklyHours,
)

from ..dates import DemoCalendar, weekday_number
from ..exceptions import DemoDataError, reading
from ..records import create, sync_rows, upsert

FILE = "places.json"
POINT_FIELDS = (
    "name",
    "kind",
    "summary",
    "street_address",
    "postcode",
    "city",
    "directions",
    "phone",
    "email",
    "chat_url",
    "step_free_access",
    "parking",
    "disabled_parking",
    "public_transport",
    "hearing_loop",
    "private_room",
    "self_service_pcs",
    "accessibility_note",
    "follows_public_holidays",
    "sort_order",
    "published",
)
STOP_FIELDS = ("street_address", "postcode", "city", "sort_order")
SIX_PLACES = Decimal("0.000001")


def _coordinate(value: float | str | None) -> Decimal | None:
    # The database gives back six decimals; compare like with like so reruns change nothing.
    return None if value is None else Decimal(str(value)).quantize(SIX_PLACES)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _weekly_specs(
    entries: list[dict],
    *,
    stop: BusStop | None = None,
    valid: tuple[dt.date, dt.date] | None = None,
) -> list[dict]:
    valid_from, valid_until = valid or (None, None)
    return [
        {
            "stop": stop,
            "weekday": weekday_number(day),
            "opens": _time(entry["opens"]),
            "closes": _time(entry["closes"]),
            "valid_from": valid_from,
            "valid_until": valid_until,
            "note": entry.get("note", ""),
        }
        for entry in entries
        for day in entry["days"]
    ]


def _weekly_key(stop_id, weekday, opens, closes, valid_from, valid_until, note):
    return (stop_id, weekday, opens, closes, valid_from, valid_until, note)


def _sync_weekly_hours(point: ServicePoint, specs: list[dict], label: str) -> None:
    def make(spec: dict) -> None:
        when = f"{spec['weekday']} {spec['opens']:%H:%M}–{spec['closes']:%H:%M}"
        create(WeeklyHours, {"service_point": point, **spec}, f"{label}: hours {when}")

    sync_rows(
        point.weekly_hours.all(),
        specs,
        existing_key=lambda r: _weekly_key(
            r.stop_id, r.weekday, r.opens, r.closes, r.valid_from, r.valid_until, r.note
        ),
        wanted_key=lambda s: _weekly_key(
            s["stop"].pk if s["stop"] else None,
            s["weekday"],
            s["opens"],
            s["closes"],
            s["valid_from"],
            s["valid_until"],
            s["note"],
        ),
        make=make,
    )


def _sync_stops(point: ServicePoint, records: list[dict], label: str) -> list[tuple[BusStop, dict]]:
    stops = []
    for record in records:
        stop_label = f"{label}: stop {record.get('name')!r}"
        with reading(stop_label):
            values = {f: record[f] for f in STOP_FIELDS}
            values["latitude"] = _coordinate(record["latitude"])
            values["longitude"] = _coordinate(record["longitude"])
            stop = upsert(
                BusStop,
                lookup={"service_point": point, "name": record["name"]},
                values=values,
                label=stop_label,
            )
        stops.append((stop, record))
    names = [stop.name for stop, _ in stops]
    if len(set(names)) != len(names):
        raise DemoDataError(f"{label}: two stops have the same name")
    point.stops.exclude(name__in=names).delete()
    return stops


def _exception_specs(
    point: ServicePoint,
    records: list[dict],
    calendar: DemoCalendar,
    stops: dict[str, BusStop],
    label: str,
) -> list[dict]:
    specs = []
    for number, record in enumerate(records, start=1):
        with reading(f"{label}: exception {number} ({record.get('note', '')!r})"):
            starts_on = calendar.resolve(record["starts"])
            if starts_on is None:
                continue
            ends_on = None
            if "days" in record:
                ends_on = starts_on + dt.timedelta(days=int(record["days"]) - 1)
            elif "ends" in record:
                ends_on = calendar.resolve(record["ends"])
            if (ends_on or starts_on) < calendar.today:
                continue  # over already, e.g. the Saturday opening once the summer is near
            stop = None
            if record.get("stop"):
                if record["stop"] not in stops:
                    raise DemoDataError(f"no stop named {record['stop']!r}")
                stop = stops[record["stop"]]
            specs.append(
                {
                    "stop": stop,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "closed": bool(record.get("closed", False)),
                    "note": record.get("note", ""),
                    "periods": tuple((_time(a), _time(b)) for a, b in record.get("periods", [])),
                }
            )
    return specs


def _sync_exceptions(point: ServicePoint, specs: list[dict], label: str) -> None:
    def make(spec: dict) -> None:
        spec = dict(spec)
        periods = spec.pop("periods")
        exc_label = f"{label}: exception on {spec['starts_on']}"
        exception = create(HoursException, {"service_point": point, **spec}, exc_label)
        for opens, closes in periods:
            create(
                SpecialPeriod, {"exception": exception, "opens": opens, "closes": closes}, exc_label
            )

    sync_rows(
        point.hours_exceptions.prefetch_related("periods"),
        specs,
        existing_key=lambda e: (
            e.stop_id,
            e.starts_on,
            e.ends_on,
            e.closed,
            e.note,
            tuple((p.opens, p.closes) for p in sorted(e.periods.all(), key=lambda p: p.opens)),
        ),
        wanted_key=lambda s: (
            s["stop"].pk if s["stop"] else None,
            s["starts_on"],
            s["ends_on"],
            s["closed"],
            s["note"],
            tuple(sorted(s["periods"])),
        ),
        make=make,
    )


def _load_point(record: dict, calendar: DemoCalendar) -> ServicePoint:
    label = f"{FILE}: service point {record.get('slug')!r}"
    with reading(label):
        values = {field: record[field] for field in POINT_FIELDS}
        values["latitude"] = _coordinate(record["latitude"])
        values["longitude"] = _coordinate(record["longitude"])
        point = upsert(ServicePoint, lookup={"slug": record["slug"]}, values=values, label=label)

        stops = _sync_stops(point, record.get("stops", []), label)
        specs = _weekly_specs(record.get("hours", []))
        specs += _weekly_specs(record.get("summer_hours", []), valid=calendar.summer)
        for stop, stop_record in stops:
            specs += _weekly_specs(stop_record["times"], stop=stop)
        _sync_weekly_hours(point, specs, label)

        by_name = {stop.name: stop for stop, _ in stops}
        exceptions = _exception_specs(point, record.get("exceptions", []), calendar, by_name, label)
        _sync_exceptions(point, exceptions, label)
    return point


def closing_days_load(records: list[dict]) -> list[ClosingDay]:
    loaded = []
    for record in records:
        label = f"{FILE}: closing day {record.get('name')!r}"
        with reading(label):
            date = dt.date.fromisoformat(record["date"]) if record.get("date") else None
            values = {
                "date": date,
                "month": record.get("month"),
                "day": record.get("day"),
                "easter_offset": record.get("easter_offset"),
            }
            loaded.append(
                upsert(ClosingDay, lookup={"name": record["name"]}, values=values, label=label)
            )
    return loaded


def places_load(data: dict[str, Any], *, today: dt.date) -> dict[str, ServicePoint]:
    with reading(FILE):
        closing_days = data["closing_days"]
        calendar = DemoCalendar(today=today, closing_days=tuple(closing_days))
        closing_days_load(closing_days)
        points = {}
        for record in data["points"]:
            point = _load_point(record, calendar)
            if point.slug in points:
                raise DemoDataError(f"service point {point.slug!r} is listed twice")
            points[point.slug] = point
    return points
