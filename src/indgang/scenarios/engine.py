"""A fast discrete-event simulator of citizen service: service points × channels, one run.

Why hand-written rather than SimPy: a scenario run is hundreds of thousands of contacts times
ten replications, behind a web page. One heapq event list and plain lists per station (no
process, generator or object per citizen) keeps a run to a few microseconds per contact;
bench/simulation.py measures it against a minimal SimPy model of the same queue.

The model (docs/scenarios.md explains it for managers):

- A *station* is one channel at one service point ("town-hall/counter"). It has opening
  intervals, a staff schedule (agents on duty over time), a FIFO queue served by any free agent,
  a patience distribution (citizens who give up) and an after-hours policy.
- Walk-in contacts (counter, assisted self-service, phone, chat, self-service) arrive as a
  non-homogeneous Poisson process per service and station, with a rate per hour of the horizon
  taken from the weekly volume and a weekday × hour-of-day profile; they are drawn by thinning
  (Lewis & Shedler): candidates at the peak rate, each kept with probability rate(t)/peak.
- Channel shift: each contact of a shifted stream is, with the shift's probability, routed to
  the target station instead (same moment). Shifted to booking, it becomes a booking request.
- Booked contacts (appointment channel): the week's bookings plus shifted requests are placed
  in random free slots (one seat per agent scheduled at the slot's start); with no free seat
  left the request is turned away. A booked citizen arrives at the slot time, or with the
  station's no-show probability does not come at all. Wait is counted from the slot time.
- Closed: a contact arriving while its station is closed (after hours, closed days, public
  holidays) is turned away, or with `after_hours: next_opening` comes back when the station
  next opens (waiting is counted from then); with no opening left in the horizon it is turned
  away. At closing time the doors close but the agents on duty serve everyone already waiting
  (that overtime counts as staff hours); citizens waiting at a closing with no agent on duty are
  turned away.
- Staff: agents scheduled off while busy finish their citizen first. Staff hours are agents on
  duty × time, so utilisation (busy ÷ on duty) never exceeds 1.
- Self-service has no queue and no staff: every contact is served at once.
- Assisted self-service takes the service's handling time × `assist_factor` (unless the service
  names its own assisted handling time) and teaches: each citizen helped adds the service's
  `teaches` share to a credit; while a whole credit is available the next walk-in contact for
  that service at a counter or assisted self-service becomes a self-service contact instead. That
  is the reduction of assisted demand over the horizon the teaching buys.

Every contact ends as exactly one of served, abandoned (gave up), turned away or no-show.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import math
import random
from collections import deque
from collections.abc import Callable

from .scenario import Distribution, Scenario

DAY = 86400.0
HOUR = 3600.0

# Event kinds. Control events at the same moment run in this order: open, close, staff.
_OPEN, _CLOSE, _STAFF, _ARRIVE, _DEPART, _ABANDON = range(6)


@dataclasses.dataclass
class Station:
    """One channel at one point, compiled to absolute seconds from the start of the horizon."""

    key: str  # "point/channel"
    point: str
    channel: str
    opens: list[tuple[float, float]]  # sorted, merged opening intervals
    staff: list[tuple[float, int]]  # (time, agents scheduled from then on)
    staffed: bool = True
    cost_per_hour: float = 0.0
    after_hours: str = "turn_away"
    patience: Callable[[random.Random], float] | None = None
    service_level_seconds: float = 0.0
    no_show: float = 0.0
    slot_seconds: float = 900.0


@dataclasses.dataclass
class Stream:
    """Walk-in demand of one service at one station: a rate (per second) for every hour."""

    service: int
    station: int
    hourly_rates: list[float]
    # (cumulative probability, target station): where a shifted contact goes instead.
    shifts: list[tuple[float, int]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Model:
    """Everything a run needs; built once per scenario, run once per replication."""

    horizon: float
    stations: list[Station]
    services: list[str]
    # handling[station][service] → draws a handling time in seconds (None: not offered there)
    handling: list[list[Callable[[random.Random], float] | None]]
    streams: list[Stream]
    # bookings per station over the horizon: (station, service, expected number)
    bookings: list[tuple[int, int, float]] = dataclasses.field(default_factory=list)
    teaches: list[float] = dataclasses.field(default_factory=list)
    teach_target: int | None = None  # the self-service station learned contacts go to
    # Statistics are kept only for contacts arriving at or after this moment (M/M/c warm-up).
    warmup: float = 0.0


@dataclasses.dataclass
class StationStats:
    arrivals: int = 0
    served: int = 0
    abandoned: int = 0
    turned_away: int = 0
    no_show: int = 0
    waited: int = 0  # had to queue (served after a wait, or gave up)
    within_target: int = 0  # served within the channel's service-level target
    learned: int = 0  # contacts that became self-service because assisted self-service taught
    waits: list[float] = dataclasses.field(default_factory=list)  # of served contacts, seconds
    staff_seconds: float = 0.0
    busy_seconds: float = 0.0


@dataclasses.dataclass
class RunResult:
    stations: list[StationStats]
    events: int
    contacts: int


def sampler(distribution: Distribution, *, factor: float = 1.0) -> Callable[[random.Random], float]:
    """A function drawing seconds from a handling-time/patience distribution given in minutes."""
    mean = distribution.mean * 60.0 * factor
    if distribution.kind == "fixed":
        return lambda rng: mean
    if distribution.kind == "exponential":
        rate = 1.0 / mean
        return lambda rng: rng.expovariate(rate)
    # lognormal with the given mean and coefficient of variation
    sigma2 = math.log(1.0 + distribution.cv**2)
    mu = math.log(mean) - sigma2 / 2.0
    sigma = math.sqrt(sigma2)
    return lambda rng: rng.lognormvariate(mu, sigma)


def exponential_seconds(mean_seconds: float) -> Callable[[random.Random], float]:
    rate = 1.0 / mean_seconds
    return lambda rng: rng.expovariate(rate)


# -- building a model ------------------------------------------------------------------------


def closed_dates(scenario: Scenario, point_id: str) -> set[dt.date]:
    """The dates the point is closed in the horizon: its own, the scenario's, public holidays."""
    point = scenario.point(point_id)
    closed = set(scenario.closed_dates) | set(point.closed_dates)
    if scenario.public_holidays and point.follows_public_holidays:
        import holidays

        end = scenario.start + dt.timedelta(days=scenario.days)
        years = range(scenario.start.year, end.year + 1)
        closed |= {d for d in holidays.country_holidays("DK", years=years) if d < end}
    return closed


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def build_model(scenario: Scenario) -> Model:
    """Compile a validated scenario into stations, streams and bookings."""
    horizon = scenario.days * DAY
    stations: list[Station] = []
    index: dict[tuple[str, str], int] = {}
    for point in scenario.points:
        closed = closed_dates(scenario, point.id)
        for channel, config in point.channels.items():
            opens: list[tuple[float, float]] = []
            changes: dict[float, int] = {}
            for day in range(scenario.days):
                date = scenario.start + dt.timedelta(days=day)
                if channel != "self_service" and date in closed:
                    continue  # closed: no opening, no staff (a website does not close)
                weekday = date.weekday()
                for start, end in config.hours.get(weekday, ()):
                    opens.append((day * DAY + start * 60.0, day * DAY + end * 60.0))
                for block in config.staff:
                    if weekday in block.days and block.agents:
                        a, b = day * DAY + block.start * 60.0, day * DAY + block.end * 60.0
                        changes[a] = changes.get(a, 0) + block.agents
                        changes[b] = changes.get(b, 0) - block.agents
            staff: list[tuple[float, int]] = []
            level = 0
            for time in sorted(changes):
                if changes[time]:
                    level += changes[time]
                    staff.append((time, level))
            index[(point.id, channel)] = len(stations)
            stations.append(
                Station(
                    key=f"{point.id}/{channel}",
                    point=point.id,
                    channel=channel,
                    opens=[(a, min(b, horizon)) for a, b in _merge(opens) if a < horizon],
                    staff=staff,
                    staffed=channel != "self_service",
                    cost_per_hour=config.cost_per_hour if channel != "self_service" else 0.0,
                    after_hours=config.after_hours,
                    patience=sampler(config.patience) if config.patience else None,
                    service_level_seconds=float(scenario.service_levels.get(channel, 0)),
                    no_show=config.no_show,
                    slot_seconds=config.slot_minutes * 60.0,
                )
            )
    self_service = next(
        (i for i, station in enumerate(stations) if station.channel == "self_service"), None
    )

    handling: list[list[Callable[[random.Random], float] | None]] = []
    for station in stations:
        row: list[Callable[[random.Random], float] | None] = []
        config = scenario.point(station.point).channels[station.channel]
        for service in scenario.services:
            if station.channel == "assisted_self_service" and "assisted_self_service" not in (
                service.handling
            ):
                base = service.handling_for("counter")
                factor = config.assist_factor
            else:
                base, factor = service.handling_for(station.channel), 1.0
            row.append(sampler(base, factor=factor) if base is not None else None)
        handling.append(row)

    def target_of(shift, point_id: str) -> int | None:
        if shift.to_point is None and shift.to_channel == "self_service":
            return index.get((point_id, "self_service"), self_service)
        return index.get((shift.to_point or point_id, shift.to_channel))

    streams: list[Stream] = []
    bookings: list[tuple[int, int, float]] = []
    for s, service in enumerate(scenario.services):
        for demand in service.demand:
            station_index = index[(demand.point, demand.channel)]
            if demand.channel == "appointment":
                bookings.append((station_index, s, demand.per_week * scenario.days / 7.0))
                continue
            config = scenario.point(demand.point).channels[demand.channel]
            weights = _weekly_weights(scenario, demand.profile, config.hours)
            total = sum(sum(day) for day in weights)
            if total <= 0:
                continue
            per_second = demand.per_week / total / HOUR
            rates = [
                weights[(scenario.start + dt.timedelta(days=day)).weekday()][hour] * per_second
                for day in range(scenario.days)
                for hour in range(24)
            ]
            shifts: list[tuple[float, int]] = []
            cumulative = 0.0
            for shift in scenario.shifts:
                if (
                    shift.from_channel == demand.channel
                    and shift.service in (None, service.id)
                    and shift.from_point in (None, demand.point)
                    and shift.share > 0
                ):
                    target = target_of(shift, demand.point)
                    if target is None or target == station_index:
                        continue
                    cumulative += shift.share
                    shifts.append((min(cumulative, 1.0), target))
            streams.append(
                Stream(service=s, station=station_index, hourly_rates=rates, shifts=shifts)
            )
    return Model(
        horizon=horizon,
        stations=stations,
        services=[service.id for service in scenario.services],
        handling=handling,
        streams=streams,
        bookings=bookings,
        teaches=[service.teaches for service in scenario.services],
        teach_target=self_service,
    )


def _weekly_weights(scenario: Scenario, profile_name, hours) -> list[list[float]]:
    """Arrival weight per weekday × hour: the named profile, else the channel's opening hours."""
    if profile_name:
        profile = scenario.profiles[profile_name]
        return [
            [profile.weekdays.get(d, 0.0) * profile.hours.get(h, 0.0) for h in range(24)]
            for d in range(7)
        ]
    weights = [[0.0] * 24 for _ in range(7)]
    for weekday, intervals in hours.items():
        for start, end in intervals:
            for hour in range(24):
                overlap = min(end, (hour + 1) * 60) - max(start, hour * 60)
                if overlap > 0:
                    weights[weekday][hour] += overlap / 60.0
    return weights


def mmc_model(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    agents: int,
    hours: float,
    patience_seconds: float | None = None,
    answer_time_seconds: float = 0.0,
    warmup_seconds: float | None = None,
) -> Model:
    """One M/M/c(+M) queue open for `hours`, constant arrivals, `agents` always on duty.

    The first `warmup_seconds` (default: a tenth of the run, at most an hour) start from an
    empty queue and are left out of the statistics so they describe the steady state Erlang C/A
    describe.
    """
    horizon = hours * HOUR
    if warmup_seconds is None:
        warmup_seconds = min(HOUR, horizon / 10.0)
    station = Station(
        key="queue/phone",
        point="queue",
        channel="phone",
        opens=[(0.0, horizon)],
        staff=[(0.0, agents)],
        patience=exponential_seconds(patience_seconds) if patience_seconds else None,
        service_level_seconds=answer_time_seconds,
    )
    rate = calls / interval_seconds
    return Model(
        horizon=horizon,
        stations=[station],
        services=["call"],
        handling=[[exponential_seconds(aht_seconds)]],
        streams=[Stream(service=0, station=0, hourly_rates=[rate] * math.ceil(hours))],
        teaches=[0.0],
        warmup=warmup_seconds,
    )


# -- one run ---------------------------------------------------------------------------------


def _generate(model: Model, rng: random.Random, stats: list[StationStats]):
    """Draw this run's contacts: (time, station, service, booked) sorted by time."""
    arrivals: list[tuple[float, int, int, int]] = []
    requests: dict[int, list[int]] = {}
    horizon = model.horizon
    expovariate, uniform = rng.expovariate, rng.random
    for stream in model.streams:
        rates = stream.hourly_rates
        peak = max(rates, default=0.0)
        if peak <= 0:
            continue
        constant = min(rates) == peak
        station, service, shifts = stream.station, stream.service, stream.shifts
        appointment_targets = {
            target for _, target in shifts if model.stations[target].channel == "appointment"
        }
        t = 0.0
        while True:
            t += expovariate(peak)
            if t >= horizon:
                break
            if not constant and uniform() * peak >= rates[int(t // HOUR)]:
                continue  # thinned away
            target = station
            if shifts:
                u = uniform()
                for cumulative, shifted in shifts:
                    if u < cumulative:
                        target = shifted
                        break
            if target in appointment_targets:
                requests.setdefault(target, []).append(service)
            else:
                arrivals.append((t, target, service, 0))
    for station, service, expected in model.bookings:
        # The number of bookings is Poisson: count a unit-rate process up to the expected number.
        count, clock = 0, expovariate(1.0)
        while clock < expected:
            count += 1
            clock += expovariate(1.0)
        requests.setdefault(station, []).extend([service] * count)
    for station_index, wanted in requests.items():
        station = model.stations[station_index]
        seats = _seats(station)
        rng.shuffle(wanted)
        chosen = rng.sample(seats, min(len(wanted), len(seats)))
        station_stats = stats[station_index]
        station_stats.arrivals += len(wanted)
        station_stats.turned_away += len(wanted) - len(chosen)  # no free slot in the horizon
        for slot, service in zip(chosen, wanted, strict=False):
            if station.no_show and uniform() < station.no_show:
                station_stats.no_show += 1
            else:
                arrivals.append((slot, station_index, service, 1))
    arrivals.sort()
    return arrivals


def _seats(station: Station) -> list[float]:
    """One seat per agent scheduled at each slot start within the opening hours."""
    seats: list[float] = []
    times = [time for time, _ in station.staff]
    for start, end in station.opens:
        slot = start
        while slot + station.slot_seconds <= end + 1e-9:
            position = bisect.bisect_right(times, slot) - 1
            agents = station.staff[position][1] if position >= 0 else 0
            seats.extend([slot] * agents)
            slot += station.slot_seconds
    return seats


def run(model: Model, rng: random.Random, *, trace: list | None = None) -> RunResult:
    """Simulate the model once with this random stream.

    With a `trace` list, every service start is appended to it as (start, arrival, station):
    the tests use it to check that nobody is served when a station is closed.
    """
    n = len(model.stations)
    stats = [StationStats() for _ in range(n)]
    arrivals = _generate(model, rng, stats)
    warmup = model.warmup

    # Control events, ordered so that at one moment a station opens, then closes, then staffs.
    control = []
    for s, station in enumerate(model.stations):
        for start, end in station.opens:
            control.append((start, _OPEN, s, 0))
            control.append((end, _CLOSE, s, 0))
        for time, agents in station.staff:
            control.append((time, _STAFF, s, agents))
    control.sort(key=lambda event: (event[0], event[1]))
    heap: list[tuple] = [(t, seq, kind, s, a, 0.0) for seq, (t, kind, s, a) in enumerate(control)]
    seq = len(heap)  # already a heap: sorted by (time, seq)

    opens_at = [[start for start, _ in station.opens] for station in model.stations]
    is_open = [False] * n
    on_duty = [0] * n
    busy = [0] * n
    target = [0] * n
    since = [0.0] * n  # last change of on_duty, for staff seconds
    queues: list[deque] = [deque() for _ in range(n)]
    staffed = [station.staffed for station in model.stations]
    patience = [station.patience for station in model.stations]
    handling = model.handling
    sl_target = [station.service_level_seconds for station in model.stations]
    after_hours_next = [station.after_hours == "next_opening" for station in model.stations]
    learners = [
        station.channel in ("counter", "assisted_self_service") for station in model.stations
    ]
    teaching = [
        station.channel == "assisted_self_service" and any(model.teaches)
        for station in model.stations
    ]
    credits = [0.0] * len(model.services)
    teach_target = model.teach_target
    state = bytearray()  # per queued contact: 0 waiting, 1 taken by an agent, 2 gave up
    heappush, heappop = heapq.heappush, heapq.heappop
    events = 0
    ai, na = 0, len(arrivals)
    t = 0.0

    def start_service(s: int, t: float, service: int, arrived: float) -> None:
        nonlocal seq
        if trace is not None:
            trace.append((t, arrived, s))
        duration = handling[s][service](rng)
        busy[s] += 1
        stats[s].busy_seconds += duration
        seq += 1
        heappush(heap, (t + duration, seq, _DEPART, s, service, 0.0))

    while True:
        if ai < na and (not heap or arrivals[ai][0] < heap[0][0]):
            t, s, service, booked = arrivals[ai]
            ai += 1
            moved = False
        elif heap:
            t, _, kind, s, a, b = heappop(heap)
            events += 1
            if kind == _DEPART:
                busy[s] -= 1
                if teaching[s]:
                    credits[a] += model.teaches[a]
                queue = queues[s]
                while queue and state[queue[0][0]] == 2:
                    queue.popleft()
                if on_duty[s] > target[s] and (is_open[s] or not queue):
                    stats[s].staff_seconds += on_duty[s] * (t - since[s])
                    since[s] = t
                    on_duty[s] -= 1  # scheduled off: leaves after finishing the citizen
                elif queue:
                    cid, arrived, service = queue.popleft()
                    state[cid] = 1
                    if arrived >= warmup:
                        wait = t - arrived
                        station_stats = stats[s]
                        station_stats.served += 1
                        station_stats.waits.append(wait)
                        if wait <= sl_target[s]:
                            station_stats.within_target += 1
                    # start_service inlined: this and the arrival below are the hot paths
                    if trace is not None:
                        trace.append((t, arrived, s))
                    duration = handling[s][service](rng)
                    busy[s] += 1
                    stats[s].busy_seconds += duration
                    seq += 1
                    heappush(heap, (t + duration, seq, _DEPART, s, service, 0.0))
                continue
            if kind == _ABANDON:
                if state[a] == 0:
                    state[a] = 2
                    if b >= warmup:
                        stats[s].abandoned += 1
                continue
            if kind == _ARRIVE:  # a contact coming back when the station opens
                service, booked, moved = a, 0, True
            elif kind == _OPEN:
                is_open[s] = True
                continue
            elif kind == _CLOSE:
                is_open[s] = False
                queue = queues[s]
                if on_duty[s] == 0:
                    while queue:
                        cid, arrived, _ = queue.popleft()
                        if state[cid] == 0:
                            state[cid] = 2
                            if arrived >= warmup:
                                stats[s].turned_away += 1
                continue
            else:  # _STAFF
                stats[s].staff_seconds += on_duty[s] * (t - since[s])
                since[s] = t
                target[s] = a
                if a < on_duty[s]:
                    on_duty[s] -= min(on_duty[s] - busy[s], on_duty[s] - a)
                    continue
                on_duty[s] = a
                queue = queues[s]
                while busy[s] < a and queue:
                    cid, arrived, service = queue.popleft()
                    if state[cid] == 2:
                        continue
                    state[cid] = 1
                    if arrived >= warmup:
                        wait = t - arrived
                        station_stats = stats[s]
                        station_stats.served += 1
                        station_stats.waits.append(wait)
                        if wait <= sl_target[s]:
                            station_stats.within_target += 1
                    start_service(s, t, service, arrived)
                continue
        else:
            break

        # -- a contact arrives at station s at time t --------------------------------------
        counted = t >= warmup
        if (
            not booked
            and not moved
            and learners[s]
            and teach_target is not None
            and credits[service] >= 1.0
        ):
            credits[service] -= 1.0  # taught earlier: does it online this time
            if counted:
                learned_stats = stats[teach_target]
                learned_stats.arrivals += 1
                learned_stats.served += 1
                learned_stats.learned += 1
            continue
        station_stats = stats[s]
        if not moved and not booked and counted:  # bookings were counted when booked
            station_stats.arrivals += 1
        if not staffed[s]:
            if counted:
                station_stats.served += 1
            continue
        if not is_open[s] and not booked:
            if after_hours_next[s]:
                opens = opens_at[s]
                position = bisect.bisect_right(opens, t)
                if position < len(opens):
                    seq += 1
                    heappush(heap, (opens[position], seq, _ARRIVE, s, service, 0.0))
                    continue
            if counted:
                station_stats.turned_away += 1
            continue
        if busy[s] < on_duty[s] and not queues[s]:
            if counted:
                station_stats.served += 1
                station_stats.waits.append(0.0)
                station_stats.within_target += 1
            if trace is not None:
                trace.append((t, t, s))
            duration = handling[s][service](rng)
            busy[s] += 1
            station_stats.busy_seconds += duration
            seq += 1
            heappush(heap, (t + duration, seq, _DEPART, s, service, 0.0))
            continue
        cid = len(state)
        state.append(0)
        queues[s].append((cid, t, service))
        if counted:
            station_stats.waited += 1
        if patience[s] is not None:
            seq += 1
            heappush(heap, (t + patience[s](rng), seq, _ABANDON, s, cid, t))

    # Anyone still queueing when the events run out had nobody left to serve them.
    for s in range(n):
        stats[s].staff_seconds += on_duty[s] * (t - since[s])
        for cid, arrived, _ in queues[s]:
            if state[cid] == 0 and arrived >= warmup:
                state[cid] = 2
                stats[s].turned_away += 1
    return RunResult(stations=stats, events=events + ai, contacts=ai)
