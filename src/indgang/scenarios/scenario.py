"""The scenario file: YAML a manager can edit → validated, frozen dataclasses.

`load_scenario(text)` reads the YAML with `yaml.safe_load` (no Python objects from the file), checks
every field and raises `ScenarioError` with *all* the problems at once, each prefixed with a
path into the file ("points[1].channels.counter.hours.monday: …"), so a manager can fix the file
in one go. `Scenario.to_yaml()` writes the same format back; loading it gives an equal scenario.

Units: handling times and patience are minutes, costs are kroner per staff hour, service-level
targets are seconds. docs/scenarios.md describes every field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from typing import Any

import yaml

CHANNELS = ("counter", "appointment", "assisted_self_service", "phone", "chat", "self_service")
# Channels where citizens walk in / call / write at any moment (non-homogeneous Poisson).
WALK_IN_CHANNELS = ("counter", "assisted_self_service", "phone", "chat", "self_service")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DISTRIBUTIONS = ("exponential", "lognormal", "fixed")
AFTER_HOURS = ("turn_away", "next_opening")
# Answered within this many seconds counts as "within the service level" unless the file says else.
DEFAULT_SERVICE_LEVELS = {
    "counter": 600,
    "appointment": 600,
    "assisted_self_service": 600,
    "phone": 20,
    "chat": 60,
}
DEFAULT_COST_PER_HOUR = 400.0
MAX_DAYS = 366
EARLIEST_START, LATEST_START = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
# Contacts one replication may simulate (about 10 s); more is a typo rather than a municipality.
MAX_CONTACTS = 2_000_000
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class ScenarioError(ValueError):
    """Every problem in a scenario file, each as "path: message"."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclasses.dataclass(frozen=True)
class Distribution:
    """A handling time or patience in minutes: exponential (mean), lognormal (mean, cv), fixed."""

    kind: str
    mean: float
    cv: float = 1.0

    def to_dict(self) -> dict:
        if self.kind == "lognormal":
            return {"distribution": self.kind, "mean": self.mean, "cv": self.cv}
        return {"distribution": self.kind, "mean": self.mean}


@dataclasses.dataclass(frozen=True)
class StaffBlock:
    """`agents` people serve this channel on `days` (0 = Monday) from `start` to `end` (minutes)."""

    days: tuple[int, ...]
    start: int
    end: int
    agents: int

    def to_dict(self) -> dict:
        return {
            "days": [WEEKDAYS[d] for d in self.days],
            "from": format_minute(self.start),
            "to": format_minute(self.end),
            "agents": self.agents,
        }


@dataclasses.dataclass(frozen=True)
class ChannelConfig:
    """One channel at one point: when it is open, who staffs it, what an hour costs."""

    channel: str
    # weekday (0 = Monday) → opening intervals in minutes after midnight; missing day = closed.
    hours: dict[int, tuple[tuple[int, int], ...]]
    staff: tuple[StaffBlock, ...] = ()
    cost_per_hour: float = DEFAULT_COST_PER_HOUR
    patience: Distribution | None = None
    after_hours: str = "turn_away"
    slot_minutes: int = 15
    no_show: float = 0.0
    assist_factor: float = 1.0

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"hours": {}}
        for index, day in enumerate(WEEKDAYS):
            intervals = self.hours.get(index, ())
            out["hours"][day] = (
                ", ".join(f"{format_minute(a)}-{format_minute(b)}" for a, b in intervals)
                if intervals
                else "closed"
            )
        if self.channel != "self_service":
            out["staff"] = [block.to_dict() for block in self.staff]
            out["cost_per_hour"] = self.cost_per_hour
            out["after_hours"] = self.after_hours
        if self.patience is not None:
            out["patience"] = self.patience.to_dict()
        if self.channel == "appointment":
            out["slot_minutes"] = self.slot_minutes
            out["no_show"] = self.no_show
        if self.channel == "assisted_self_service":
            out["assist_factor"] = self.assist_factor
        return out


@dataclasses.dataclass(frozen=True)
class Point:
    id: str
    name: str
    channels: dict[str, ChannelConfig]
    closed_dates: tuple[dt.date, ...] = ()
    follows_public_holidays: bool = True

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.closed_dates:
            out["closed_dates"] = [d.isoformat() for d in self.closed_dates]
        if not self.follows_public_holidays:
            out["follows_public_holidays"] = False
        out["channels"] = {name: config.to_dict() for name, config in self.channels.items()}
        return out


@dataclasses.dataclass(frozen=True)
class Demand:
    """`per_week` contacts for a service at one point and channel, spread by `profile`."""

    point: str
    channel: str
    per_week: float
    profile: str | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "point": self.point,
            "channel": self.channel,
            "per_week": self.per_week,
        }
        if self.profile:
            out["profile"] = self.profile
        return out


@dataclasses.dataclass(frozen=True)
class Service:
    id: str
    name: str
    # channel (or "default") → handling time
    handling: dict[str, Distribution]
    demand: tuple[Demand, ...] = ()
    # Share of citizens helped in assisted self-service whose next contact is self-service.
    teaches: float = 0.0

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "handling": {key: value.to_dict() for key, value in self.handling.items()},
            "demand": [d.to_dict() for d in self.demand],
        }
        if self.teaches:
            out["teaches"] = self.teaches
        return out

    def handling_for(self, channel: str) -> Distribution | None:
        if channel in self.handling:
            return self.handling[channel]
        if channel in ("appointment", "assisted_self_service") and "counter" in self.handling:
            return self.handling["counter"]
        return self.handling.get("default")


@dataclasses.dataclass(frozen=True)
class Profile:
    """Relative arrival weights per weekday and per hour of day (0–23); missing = 0."""

    weekdays: dict[int, float]
    hours: dict[int, float]

    def to_dict(self) -> dict:
        return {
            "weekdays": {WEEKDAYS[d]: w for d, w in sorted(self.weekdays.items())},
            "hours": {h: w for h, w in sorted(self.hours.items())},
        }


@dataclasses.dataclass(frozen=True)
class Shift:
    """Move `share` of the demand in one channel to another (optionally: one service/point)."""

    from_channel: str
    to_channel: str
    share: float
    service: str | None = None
    from_point: str | None = None
    to_point: str | None = None  # None: the same point as the contact came to

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        if self.service:
            out["service"] = self.service
        source: dict[str, str] = {"channel": self.from_channel}
        if self.from_point:
            source["point"] = self.from_point
        target: dict[str, str] = {"channel": self.to_channel}
        if self.to_point:
            target["point"] = self.to_point
        out.update({"from": source, "to": target, "share": self.share})
        return out


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    start: dt.date
    days: int
    points: tuple[Point, ...]
    services: tuple[Service, ...]
    description: str = ""
    public_holidays: bool = True
    closed_dates: tuple[dt.date, ...] = ()
    service_levels: dict[str, int] = dataclasses.field(
        default_factory=lambda: dict(DEFAULT_SERVICE_LEVELS)
    )
    profiles: dict[str, Profile] = dataclasses.field(default_factory=dict)
    shifts: tuple[Shift, ...] = ()

    def point(self, point_id: str) -> Point:
        return next(p for p in self.points if p.id == point_id)

    def expected_contacts(self) -> float:
        """Contacts one replication simulates on average (all services, channels and days)."""
        return sum(d.per_week for s in self.services for d in s.demand) * self.days / 7.0

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        out.update(
            {
                "start": self.start.isoformat(),
                "days": self.days,
                "public_holidays": self.public_holidays,
            }
        )
        if self.closed_dates:
            out["closed_dates"] = [d.isoformat() for d in self.closed_dates]
        out["service_levels"] = dict(self.service_levels)
        if self.profiles:
            out["profiles"] = {name: p.to_dict() for name, p in self.profiles.items()}
        out["points"] = [p.to_dict() for p in self.points]
        out["services"] = [s.to_dict() for s in self.services]
        if self.shifts:
            out["shifts"] = [s.to_dict() for s in self.shifts]
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(
            self.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=None
        )


def load_scenario(text: str) -> Scenario:
    """Parse and validate a scenario file; `ScenarioError` lists every problem with its path."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        raise ScenarioError(
            [f"{where}: not valid YAML ({getattr(error, 'problem', error)})"]
        ) from None
    except RecursionError:
        # PyYAML builds nested lists and mappings recursively; a scenario is a few levels deep.
        raise ScenarioError(["file: nested too deeply to be a scenario"]) from None
    except ValueError as error:
        # The YAML constructors raise plain ValueError for a date like 2026-02-30 or a number
        # with thousands of digits.
        raise ScenarioError([f"file: not valid YAML ({error})"]) from None
    return scenario_from_dict(data)


def scenario_from_dict(data: Any) -> Scenario:
    """The same checks as `load_scenario`, for data that is already parsed (forms, JSON)."""
    return _Reader().scenario(data)


def format_minute(minute: int) -> str:
    """Minutes after midnight as HH:MM (1440 is 24:00)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class _Reader:
    """Collects errors while reading so every problem is reported, not just the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # -- small typed readers; each returns a default after recording an error --------------

    def mapping(self, value: Any, path: str, keys: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.error(path, "must be a mapping (key: value)")
            return {}
        for key in value:
            if key not in keys:
                self.error(f"{path}.{key}", f"unknown field (expected one of: {', '.join(keys)})")
        return value

    def number(
        self,
        value: Any,
        path: str,
        *,
        minimum: float = 0.0,
        maximum: float = math.inf,
        above: bool = False,
        default: float = 0.0,
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, "must be a number")
            return default
        # A huge whole number does not fit in a float, and .inf would pass an open maximum.
        too_big = abs(value) > 1e300 if isinstance(value, int) else math.isinf(value)
        if too_big:
            self.error(path, "must be a finite number of sensible size")
            return default
        if math.isnan(value):
            self.error(path, "must be a number")
            return default
        if value < minimum or (above and value == minimum) or value > maximum:
            bound = f"greater than {minimum:g}" if above else f"at least {minimum:g}"
            if maximum != math.inf:
                bound += f" and at most {maximum:g}"
            self.error(path, f"must be {bound} (got {value:g})")
            return default
        return float(value)

    def integer(self, value: Any, path: str, *, minimum: int, maximum: int, default: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, "must be a whole number")
            return default
        if not minimum <= value <= maximum:
            self.error(path, f"must be between {minimum} and {maximum} (got {value})")
            return default
        return value

    def text(self, value: Any, path: str, *, default: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            self.error(path, "must be a non-empty text")
            return default
        return value.strip()

    def identifier(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            self.error(path, "must be an id: lowercase letters, digits, - or _ (at most 50)")
            return ""
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(path, "must be a date like 2026-03-02")
        return None

    def dates(self, value: Any, path: str) -> tuple[dt.date, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, "must be a list of dates")
            return ()
        found = [self.date(item, f"{path}[{i}]") for i, item in enumerate(value)]
        return tuple(sorted({d for d in found if d is not None}))

    def boolean(self, value: Any, path: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(path, "must be true or false")
            return default
        return value

    def weekday(self, value: Any, path: str) -> int | None:
        if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
            return WEEKDAYS.index(value.strip().lower())
        self.error(path, f"must be a weekday ({', '.join(WEEKDAYS)})")
        return None

    def minute(self, value: Any, path: str) -> int | None:
        # YAML 1.1 reads an unquoted 09:00 as the sexagesimal number 540; accept that too.
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60:
            return value
        match = _TIME.match(value.strip()) if isinstance(value, str) else None
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
                return hours * 60 + minutes
        self.error(path, "must be a time like 09:30")
        return None

    # -- the parts of the file ---------------------------------------------------------------

    def distribution(self, value: Any, path: str) -> Distribution | None:
        data = self.mapping(value, path, ("distribution", "mean", "cv"))
        if not data:
            if isinstance(value, dict):
                self.error(path, "needs distribution and mean")
            return None
        kind = data.get("distribution")
        if kind not in DISTRIBUTIONS:
            self.error(f"{path}.distribution", f"must be one of: {', '.join(DISTRIBUTIONS)}")
            kind = None
        mean = self.number(data.get("mean"), f"{path}.mean", above=True, maximum=24 * 60)
        cv = 1.0
        if kind == "lognormal":
            cv = self.number(data.get("cv"), f"{path}.cv", above=True, maximum=10, default=1.0)
        elif "cv" in data:
            self.error(f"{path}.cv", "only a lognormal distribution takes a cv")
        if kind is None or mean <= 0:
            return None
        return Distribution(kind=kind, mean=mean, cv=cv)

    def hours(self, value: Any, path: str) -> dict[int, tuple[tuple[int, int], ...]]:
        if value in ("always", "24/7"):
            return {d: ((0, 24 * 60),) for d in range(7)}
        data = self.mapping(value, path, WEEKDAYS)
        out: dict[int, tuple[tuple[int, int], ...]] = {}
        for day, spec in data.items():
            if day not in WEEKDAYS:
                continue
            day_path = f"{path}.{day}"
            if spec is None or spec == "closed" or spec is False:
                continue
            if not isinstance(spec, str):
                self.error(
                    day_path, 'must be like "09:00-15:00", "09:00-12:00, 13:00-16:00" or closed'
                )
                continue
            intervals = []
            for part in spec.split(","):
                match = _HOURS.match(part.strip())
                if not match:
                    self.error(day_path, f'"{part.strip()}" is not like "09:00-15:00" (or closed)')
                    continue
                start = self.minute(f"{match[1]}:{match[2]}", day_path)
                end = self.minute(f"{match[3]}:{match[4]}", day_path)
                if start is None or end is None:
                    continue
                if end <= start:
                    self.error(day_path, f'"{part.strip()}" closes before it opens')
                    continue
                intervals.append((start, end))
            intervals.sort()
            for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
                if start < end:
                    self.error(day_path, "opening intervals overlap")
            if intervals:
                out[WEEKDAYS.index(day)] = tuple(intervals)
        return out

    def staff(self, value: Any, path: str) -> tuple[StaffBlock, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, "must be a list of staff blocks")
            return ()
        blocks = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            data = self.mapping(item, item_path, ("days", "from", "to", "agents"))
            if not data:
                continue
            days_value = data.get("days", list(WEEKDAYS[:5]))
            if not isinstance(days_value, list) or not days_value:
                self.error(f"{item_path}.days", "must be a list of weekdays")
                days_value = []
            days = [self.weekday(d, f"{item_path}.days[{j}]") for j, d in enumerate(days_value)]
            start = self.minute(data.get("from"), f"{item_path}.from")
            end = self.minute(data.get("to"), f"{item_path}.to")
            agents = self.integer(
                data.get("agents"), f"{item_path}.agents", minimum=0, maximum=1000, default=0
            )
            if start is not None and end is not None and end <= start:
                self.error(f"{item_path}.to", "must be after from")
                continue
            if start is None or end is None or None in days:
                continue
            blocks.append(
                StaffBlock(
                    days=tuple(sorted(set(d for d in days if d is not None))),
                    start=start,
                    end=end,
                    agents=agents,
                )
            )
        return tuple(blocks)

    def channel(self, name: str, value: Any, path: str) -> ChannelConfig | None:
        keys = ("hours", "staff", "cost_per_hour", "patience", "after_hours")
        if name == "appointment":
            keys += ("slot_minutes", "no_show")
        if name == "assisted_self_service":
            keys += ("assist_factor",)
        if name == "self_service":
            keys = ("hours",)
        if value is None and name == "self_service":
            value = {}
        data = self.mapping(value, path, keys)
        if not isinstance(value, dict):
            return None
        if "hours" in data:
            hours = self.hours(data["hours"], f"{path}.hours")
        elif name == "self_service":
            hours = {d: ((0, 24 * 60),) for d in range(7)}
        else:
            self.error(f"{path}.hours", "is required")
            hours = {}
        patience = None
        if data.get("patience") is not None:
            patience = self.distribution(data["patience"], f"{path}.patience")
        after_hours = data.get("after_hours", "turn_away")
        if after_hours not in AFTER_HOURS:
            self.error(f"{path}.after_hours", f"must be one of: {', '.join(AFTER_HOURS)}")
            after_hours = "turn_away"
        config = ChannelConfig(
            channel=name,
            hours=hours,
            staff=self.staff(data.get("staff"), f"{path}.staff"),
            cost_per_hour=self.number(
                data.get("cost_per_hour", DEFAULT_COST_PER_HOUR),
                f"{path}.cost_per_hour",
                maximum=100_000,
            ),
            patience=patience,
            after_hours=after_hours,
            slot_minutes=self.integer(
                data.get("slot_minutes", 15),
                f"{path}.slot_minutes",
                minimum=5,
                maximum=240,
                default=15,
            ),
            no_show=self.number(data.get("no_show", 0.0), f"{path}.no_show", maximum=1),
            assist_factor=self.number(
                data.get("assist_factor", 1.0),
                f"{path}.assist_factor",
                minimum=0.1,
                maximum=10,
                default=1.0,
            ),
        )
        if name != "self_service" and hours and not data.get("staff"):
            self.error(f"{path}.staff", "an open channel needs at least one staff block")
        return config

    def point(self, value: Any, path: str) -> Point | None:
        data = self.mapping(
            value, path, ("id", "name", "closed_dates", "follows_public_holidays", "channels")
        )
        if not data:
            return None
        point_id = self.identifier(data.get("id"), f"{path}.id")
        name = self.text(data.get("name", point_id or "?"), f"{path}.name", default=point_id)
        channels_data = self.mapping(data.get("channels"), f"{path}.channels", CHANNELS)
        if isinstance(data.get("channels"), dict) and not channels_data:
            self.error(f"{path}.channels", "needs at least one channel")
        channels = {}
        for channel_name in CHANNELS:
            if channel_name in channels_data:
                config = self.channel(
                    channel_name, channels_data[channel_name], f"{path}.channels.{channel_name}"
                )
                if config is not None:
                    channels[channel_name] = config
        return Point(
            id=point_id,
            name=name,
            channels=channels,
            closed_dates=self.dates(data.get("closed_dates"), f"{path}.closed_dates"),
            follows_public_holidays=self.boolean(
                data.get("follows_public_holidays"), f"{path}.follows_public_holidays", True
            ),
        )

    def profile(self, value: Any, path: str) -> Profile:
        data = self.mapping(value, path, ("weekdays", "hours"))
        weekdays = {d: 1.0 for d in range(7)}
        if "weekdays" in data:
            weekdays = {}
            days = self.mapping(data["weekdays"], f"{path}.weekdays", WEEKDAYS)
            for day, weight in days.items():
                if day in WEEKDAYS:
                    weekdays[WEEKDAYS.index(day)] = self.number(weight, f"{path}.weekdays.{day}")
        hours = {h: 1.0 for h in range(24)}
        if "hours" in data:
            hours = {}
            if not isinstance(data["hours"], dict):
                self.error(f"{path}.hours", "must map hours of the day (0-23) to weights")
            else:
                for hour, weight in data["hours"].items():
                    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
                        self.error(f"{path}.hours.{hour}", "must be an hour of the day, 0-23")
                        continue
                    hours[hour] = self.number(weight, f"{path}.hours.{hour}")
        if not any(weekdays.values()) or not any(hours.values()):
            self.error(path, "needs a weight above 0 on some weekday and some hour")
        return Profile(weekdays=weekdays, hours=hours)

    def service(self, value: Any, path: str) -> Service | None:
        data = self.mapping(value, path, ("id", "name", "handling", "demand", "teaches"))
        if not data:
            return None
        service_id = self.identifier(data.get("id"), f"{path}.id")
        name = self.text(data.get("name", service_id or "?"), f"{path}.name", default=service_id)
        handling = {}
        handling_data = self.mapping(
            data.get("handling"), f"{path}.handling", (*CHANNELS, "default")
        )
        for key, spec in handling_data.items():
            if key in CHANNELS or key == "default":
                found = self.distribution(spec, f"{path}.handling.{key}")
                if found is not None:
                    handling[key] = found
        demand = []
        demand_value = data.get("demand", [])
        if not isinstance(demand_value, list):
            self.error(f"{path}.demand", "must be a list")
            demand_value = []
        for i, item in enumerate(demand_value):
            item_path = f"{path}.demand[{i}]"
            entry = self.mapping(item, item_path, ("point", "channel", "per_week", "profile"))
            if not entry:
                continue
            channel = entry.get("channel")
            if channel not in CHANNELS:
                self.error(f"{item_path}.channel", f"must be one of: {', '.join(CHANNELS)}")
                continue
            profile = entry.get("profile")
            if profile is not None and not isinstance(profile, str):
                self.error(f"{item_path}.profile", "must be the name of a profile")
                profile = None
            demand.append(
                Demand(
                    point=self.identifier(entry.get("point"), f"{item_path}.point"),
                    channel=channel,
                    per_week=self.number(
                        entry.get("per_week"), f"{item_path}.per_week", maximum=10_000_000
                    ),
                    profile=profile,
                )
            )
        return Service(
            id=service_id,
            name=name,
            handling=handling,
            demand=tuple(demand),
            teaches=self.number(data.get("teaches", 0.0), f"{path}.teaches", maximum=1),
        )

    def shift(self, value: Any, path: str) -> Shift | None:
        data = self.mapping(value, path, ("service", "from", "to", "share"))
        if not data:
            return None
        ends = {}
        for end in ("from", "to"):
            end_data = self.mapping(data.get(end), f"{path}.{end}", ("point", "channel"))
            channel = end_data.get("channel")
            if end_data and channel not in CHANNELS:
                self.error(f"{path}.{end}.channel", f"must be one of: {', '.join(CHANNELS)}")
            point = end_data.get("point")
            if point is not None:
                point = self.identifier(point, f"{path}.{end}.point")
            ends[end] = (point or None, channel if channel in CHANNELS else None)
        service = data.get("service")
        if service is not None:
            service = self.identifier(service, f"{path}.service") or None
        share = self.number(data.get("share"), f"{path}.share", maximum=1)
        if ends["from"][1] == "appointment":
            self.error(f"{path}.from.channel", "booked appointments cannot be shifted")
        if ends["from"] == ends["to"] and ends["from"][1]:
            self.error(f"{path}.to", "is the same as from")
        if ends["from"][1] is None or ends["to"][1] is None:
            return None
        return Shift(
            from_channel=ends["from"][1],
            to_channel=ends["to"][1],
            share=share,
            service=service,
            from_point=ends["from"][0],
            to_point=ends["to"][0],
        )

    def scenario(self, data: Any) -> Scenario:
        keys = (
            "name",
            "description",
            "start",
            "days",
            "public_holidays",
            "closed_dates",
            "service_levels",
            "profiles",
            "points",
            "services",
            "shifts",
        )
        if not isinstance(data, dict):
            raise ScenarioError(
                ["file: must be a mapping with name, start, days, points, services"]
            )
        self.mapping(data, "file", keys)
        name = self.text(data.get("name"), "name", default="?")
        description = data.get("description") or ""
        if not isinstance(description, str):
            self.error("description", "must be text")
            description = ""
        start = self.date(data.get("start"), "start") or dt.date(2026, 1, 5)
        if not EARLIEST_START <= start <= LATEST_START:
            # The calendar (holidays, weekdays) and the run's clock need a year near ours.
            self.error("start", "must be a date in the years 2000 to 2099")
        days = self.integer(data.get("days", 7), "days", minimum=1, maximum=MAX_DAYS, default=7)
        service_levels = dict(DEFAULT_SERVICE_LEVELS)
        levels = self.mapping(
            data.get("service_levels", {}), "service_levels", tuple(DEFAULT_SERVICE_LEVELS)
        )
        for channel, seconds in levels.items():
            if channel in service_levels:
                service_levels[channel] = self.integer(
                    seconds,
                    f"service_levels.{channel}",
                    minimum=0,
                    maximum=24 * 3600,
                    default=service_levels[channel],
                )
        profiles = {}
        profile_data = data.get("profiles", {}) or {}
        if not isinstance(profile_data, dict):
            self.error("profiles", "must map profile names to weights")
            profile_data = {}
        for profile_name, spec in profile_data.items():
            profiles[str(profile_name)] = self.profile(spec, f"profiles.{profile_name}")

        points: list[Point] = []
        points_value = data.get("points")
        if not isinstance(points_value, list) or not points_value:
            self.error("points", "must be a list with at least one service point")
            points_value = []
        for i, item in enumerate(points_value):
            point = self.point(item, f"points[{i}]")
            if point is not None:
                if point.id and any(p.id == point.id for p in points):
                    self.error(f"points[{i}].id", f'"{point.id}" is used twice')
                points.append(point)
        channels_at = {p.id: p.channels for p in points}

        services: list[Service] = []
        services_value = data.get("services")
        if not isinstance(services_value, list) or not services_value:
            self.error("services", "must be a list with at least one service")
            services_value = []
        for i, item in enumerate(services_value):
            service = self.service(item, f"services[{i}]")
            if service is None:
                continue
            if service.id and any(s.id == service.id for s in services):
                self.error(f"services[{i}].id", f'"{service.id}" is used twice')
            for j, demand in enumerate(service.demand):
                demand_path = f"services[{i}].demand[{j}]"
                if demand.point and demand.point not in channels_at:
                    self.error(f"{demand_path}.point", f'no point "{demand.point}"')
                elif demand.point and demand.channel not in channels_at[demand.point]:
                    self.error(
                        f"{demand_path}.channel",
                        f'point "{demand.point}" has no {demand.channel} channel',
                    )
                if demand.profile is not None and demand.profile not in profiles:
                    self.error(f"{demand_path}.profile", f'no profile "{demand.profile}"')
                elif (
                    demand.profile is None
                    and demand.channel != "appointment"
                    and demand.channel in channels_at.get(demand.point, {})
                    and not channels_at[demand.point][demand.channel].hours
                ):
                    self.error(
                        f"{demand_path}.profile",
                        "the channel is never open: give a profile (when citizens would come)",
                    )
                if (
                    demand.channel != "self_service"
                    and service.handling_for(demand.channel) is None
                ):
                    self.error(
                        f"services[{i}].handling",
                        f"needs a handling time for {demand.channel} (or default)",
                    )
            if service.teaches and not any("self_service" in c for c in channels_at.values()):
                self.error(f"services[{i}].teaches", "needs a point with a self_service channel")
            services.append(service)
        service_ids = {s.id for s in services}

        shifts: list[Shift] = []
        shifts_value = data.get("shifts", []) or []
        if not isinstance(shifts_value, list):
            self.error("shifts", "must be a list")
            shifts_value = []
        for i, item in enumerate(shifts_value):
            shift = self.shift(item, f"shifts[{i}]")
            if shift is None:
                continue
            path = f"shifts[{i}]"
            if shift.service is not None and shift.service not in service_ids:
                self.error(f"{path}.service", f'no service "{shift.service}"')
            for end, point_id, channel in (
                ("from", shift.from_point, shift.from_channel),
                ("to", shift.to_point, shift.to_channel),
            ):
                if point_id is None:
                    continue
                if point_id not in channels_at:
                    self.error(f"{path}.{end}.point", f'no point "{point_id}"')
                elif channel not in channels_at[point_id]:
                    self.error(
                        f"{path}.{end}.channel", f'point "{point_id}" has no {channel} channel'
                    )
            self_service_points = [p for p, c in channels_at.items() if "self_service" in c]
            if shift.to_point is None and shift.to_channel == "self_service":
                if not self_service_points:
                    self.error(f"{path}.to.channel", "no point has a self_service channel")
            elif shift.to_point is None:
                for service in services:
                    for demand in service.demand:
                        if (
                            shift.service in (None, service.id)
                            and demand.channel == shift.from_channel
                            and shift.from_point in (None, demand.point)
                            and shift.to_channel not in channels_at.get(demand.point, {})
                        ):
                            self.error(
                                f"{path}.to.point",
                                f'is needed because point "{demand.point}" has no {shift.to_channel} '
                                "channel",
                            )
                            break
            if shift.to_channel != "self_service":
                for service in services:
                    if (
                        shift.service in (None, service.id)
                        and service.handling_for(shift.to_channel) is None
                        and any(
                            d.channel == shift.from_channel and shift.from_point in (None, d.point)
                            for d in service.demand
                        )
                    ):
                        self.error(
                            f"{path}.to.channel",
                            f'service "{service.id}" has no handling time for {shift.to_channel}',
                        )
            shifts.append(shift)
        # Shares leaving one stream may not add up to more than all of it.
        for i, shift in enumerate(shifts):
            overlapping = sum(
                other.share
                for other in shifts
                if other.from_channel == shift.from_channel
                and (
                    other.service is None or shift.service is None or other.service == shift.service
                )
                and (
                    other.from_point is None
                    or shift.from_point is None
                    or other.from_point == shift.from_point
                )
            )
            if overlapping > 1 + 1e-9:
                self.error(f"shifts[{i}].share", "shifts out of one channel add up to more than 1")
                break

        expected = sum(d.per_week for s in services for d in s.demand) * days / 7.0
        if expected > MAX_CONTACTS:
            self.error(
                "services",
                f"about {expected:,.0f} contacts in {days} days; at most {MAX_CONTACTS:,} "
                "can be simulated (shorten days or check per_week)",
            )
        public_holidays = self.boolean(data.get("public_holidays"), "public_holidays", True)
        closed_dates = self.dates(data.get("closed_dates"), "closed_dates")
        if self.errors:
            raise ScenarioError(self.errors)
        return Scenario(
            name=name,
            description=description.strip(),
            start=start,
            days=days,
            points=tuple(points),
            services=tuple(services),
            public_holidays=public_holidays,
            closed_dates=closed_dates,
            service_levels=service_levels,
            profiles=profiles,
            shifts=tuple(shifts),
        )
