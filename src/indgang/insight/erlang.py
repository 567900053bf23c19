"""Staffing maths: Erlang B, Erlang C, Erlang A (M/M/c+M) and a counter model, in pure Python.

Everything here is a pure function of numbers (no Django, no database) so the staffing page,
the command line and the scenario simulator share one implementation.

Conventions used throughout:

- An *interval* has `calls` arrivals spread evenly (Poisson) over `interval_seconds`; the
  offered traffic is `calls * aht_seconds / interval_seconds` Erlang.
- *Service level* is the share of **all offered** calls answered within `answer_time_seconds`.
  In Erlang A a caller who hangs up counts as missed even when they hang up before the answer
  time (the usual "answered within t / offered" definition).
- *Average speed of answer* (ASA) is the mean waiting time of answered calls, counting those
  answered at once as 0 s. In Erlang C every call is answered, so it is the mean wait of all
  calls, `C * AHT / (N - A)`.
- *Shrinkage* is the share of paid time not spent on the queue (breaks, training, meetings);
  `scheduled_agents = ceil(agents / (1 - shrinkage))`.

Numerical notes: Erlang B uses the recursion B(n) = A·B(n-1) / (n + A·B(n-1)), which only
shrinks, so it neither overflows nor loses precision for thousands of agents and thousands of
Erlang. Erlang A uses the Palm/Mandelbaum–Zeltyn formulation through the series
A(x, y) = sum_j y^j / ((x+1)…(x+j)) (a scaled lower incomplete gamma function), summed outward
from its largest term and kept in log space, so large queues neither overflow nor cancel.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass


class StaffingInputError(ValueError):
    """An input that makes no sense (negative volume, target outside (0, 1), …)."""


class TargetUnreachable(StaffingInputError):
    """No number of agents up to the allowed maximum meets the target."""


@dataclass(frozen=True)
class StaffingResult:
    agents: int
    service_level: float
    probability_of_waiting: float
    average_speed_of_answer: float  # seconds; math.inf when the queue grows without bound
    occupancy: float
    probability_of_abandon: float | None = None  # Erlang A only
    scheduled_agents: int | None = None  # agents / (1 - shrinkage), rounded up

    def as_dict(self) -> dict:
        """The fields that apply (None ones are left out), in declaration order."""
        return {key: value for key, value in asdict(self).items() if value is not None}


# --- validation ------------------------------------------------------------------------------


def _check_number(name: str, value: float, *, positive: bool = False) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise StaffingInputError(f"{name} must be a number") from None
    if math.isnan(value) or math.isinf(value):
        raise StaffingInputError(f"{name} must be a finite number")
    if positive and value <= 0:
        raise StaffingInputError(f"{name} must be greater than 0")
    if value < 0:
        raise StaffingInputError(f"{name} must not be negative")
    return value


def _check_agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int):
        if isinstance(agents, float) and agents.is_integer():
            agents = int(agents)
        else:
            raise StaffingInputError("agents must be a whole number")
    if agents < 0:
        raise StaffingInputError("agents must not be negative")
    return agents


def _check_target(target: float) -> float:
    target = _check_number("target", target)
    if not 0 < target < 1:
        raise StaffingInputError("target must be between 0 and 1 (exclusive), e.g. 0.8")
    return target


def _check_shrinkage(shrinkage: float) -> float:
    shrinkage = _check_number("shrinkage", shrinkage)
    if shrinkage >= 1:
        raise StaffingInputError("shrinkage must be at least 0 and less than 1, e.g. 0.3")
    return shrinkage


def _check_max_occupancy(max_occupancy: float) -> float:
    max_occupancy = _check_number("max_occupancy", max_occupancy, positive=True)
    if max_occupancy > 1:
        raise StaffingInputError("max_occupancy must be greater than 0 and at most 1")
    return max_occupancy


def _traffic(calls: float, interval_seconds: float, aht_seconds: float) -> float:
    calls = _check_number("calls", calls)
    interval_seconds = _check_number("interval_seconds", interval_seconds, positive=True)
    aht_seconds = _check_number("aht_seconds", aht_seconds, positive=True)
    return calls * aht_seconds / interval_seconds


def scheduled(agents: int, shrinkage: float) -> int:
    """Agents to put on the rota so that `agents` are on the queue after shrinkage.

    Rounded to 9 decimals first: 21 / (1 - 0.3) is 30.000000000000004 in binary floating point
    and must give 30, not 31.
    """
    return math.ceil(round(agents / (1 - shrinkage), 9))


# --- Erlang B and C --------------------------------------------------------------------------


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of M/M/c/c with `traffic` Erlang offered to `agents` servers."""
    traffic = _check_number("traffic", traffic)
    agents = _check_agents(agents)
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _erlang_c_from_b(traffic: float, agents: int, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that a call waits in M/M/c; 1.0 when agents <= traffic (unstable queue)."""
    b = erlang_b(traffic, agents)
    return _erlang_c_from_b(float(traffic), int(agents), b)


def _erlang_c_result(
    traffic: float, agents: int, b: float, aht: float, answer_time: float, shrinkage: float
) -> StaffingResult:
    if traffic == 0:
        return StaffingResult(
            agents=agents,
            service_level=1.0,
            probability_of_waiting=0.0,
            average_speed_of_answer=0.0,
            occupancy=0.0,
            scheduled_agents=scheduled(agents, shrinkage),
        )
    if agents <= traffic:  # the queue grows without bound: nobody is answered in time
        return StaffingResult(
            agents=agents,
            service_level=0.0,
            probability_of_waiting=1.0,
            average_speed_of_answer=math.inf,
            occupancy=1.0,
            scheduled_agents=scheduled(agents, shrinkage),
        )
    c = _erlang_c_from_b(traffic, agents, b)
    spare = agents - traffic
    return StaffingResult(
        agents=agents,
        service_level=max(0.0, 1.0 - c * math.exp(-spare * answer_time / aht)),
        probability_of_waiting=c,
        average_speed_of_answer=c * aht / spare,
        occupancy=traffic / agents,
        scheduled_agents=scheduled(agents, shrinkage),
    )


def erlang_c_metrics(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    agents: int,
    answer_time_seconds: float,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Service level, waiting, ASA and occupancy of `agents` agents on the queue (Erlang C)."""
    traffic = _traffic(calls, interval_seconds, aht_seconds)
    agents = _check_agents(agents)
    answer_time = _check_number("answer_time_seconds", answer_time_seconds)
    shrinkage = _check_shrinkage(shrinkage)
    b = erlang_b(traffic, agents)
    return _erlang_c_result(traffic, agents, b, float(aht_seconds), answer_time, shrinkage)


def _search_cap(traffic: float, max_occupancy: float) -> int:
    # Beyond A + 40·sqrt(A) + 200 agents Erlang C is below 1e-300, so service level is 1.0 in
    # floating point and every target < 1 has been met long before.
    return math.ceil(traffic / max_occupancy) + math.ceil(40 * math.sqrt(traffic)) + 200


def erlang_c_required(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    target: float,
    answer_time_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    max_agents: int | None = None,
) -> StaffingResult:
    """The fewest agents with service level >= target and occupancy <= max_occupancy.

    Raises TargetUnreachable when more than `max_agents` (if given) would be needed.
    """
    traffic = _traffic(calls, interval_seconds, aht_seconds)
    target = _check_target(target)
    answer_time = _check_number("answer_time_seconds", answer_time_seconds)
    shrinkage = _check_shrinkage(shrinkage)
    max_occupancy = _check_max_occupancy(max_occupancy)
    aht = float(aht_seconds)
    cap = _search_cap(traffic, max_occupancy)
    if max_agents is not None:
        cap = min(cap, _check_agents(max_agents))
    if traffic == 0:
        return _erlang_c_result(0.0, 0, 0.0, aht, answer_time, shrinkage)
    # Fewer than floor(A) + 1 agents never suffice; walk B(n) up to there, then step by step.
    agents = math.floor(traffic) + 1
    agents = max(agents, math.ceil(traffic / max_occupancy - 1e-12))
    b = erlang_b(traffic, min(agents, cap))
    decay = answer_time / aht
    while agents <= cap:
        # The service level of _erlang_c_result, inlined: this loop is the hot path of a plan.
        c = agents * b / (agents - traffic * (1.0 - b))
        service_level = 1.0 - c * math.exp(-(agents - traffic) * decay)
        if service_level >= target and traffic / agents <= max_occupancy:
            return _erlang_c_result(traffic, agents, b, aht, answer_time, shrinkage)
        agents += 1
        b = traffic * b / (agents + traffic * b)
    raise TargetUnreachable(
        f"the target cannot be met with at most {cap} agents ({traffic:.4g} Erlang offered)"
    )


# --- Erlang A (M/M/c+M) ----------------------------------------------------------------------
#
# With arrival rate λ, service rate μ = 1/AHT, abandonment rate θ = 1/patience and n agents,
# put x = nμ/θ and y = λ/θ. Given that an arriving caller finds all agents busy and q callers
# ahead, the queue ahead of them drains at rates nμ + iθ (i = q … 0), so with U = exp(-θV)
# (V the time until an agent is free for them) U ~ Beta(x, q + 1). They see q callers ahead
# with probability proportional to r_q = y^q / ((x+1)…(x+q)), and mixing over q gives U the
# density ∝ u^(x-1)·e^(-yu) on (0, 1). They are answered iff their own patience outlasts V,
# which happens with probability U. From there:
#
#   P(wait) = A·B / (1 + (A - 1)·B),   A = sum_q r_q,   B = Erlang B(n, λ/μ)
#   P(abandon | wait) = sum_q r_q (q+1)/(x+q+1) / A                 (E[1 - U | q])
#   P(answered within t | wait) = x/((x+1)·A(x,y)) · [A(x+1,y) - e^E·A(x+1, y·e^(-θt))]
#       with E = -(x+1)θt + y(1 - e^(-θt))                           (E[U; U >= e^(-θt)])
#   E[wait; answered | wait] = sum_q r_q x/(x+q+1) · H_q/θ / A,  H_q = sum_{i=1}^{q+1} 1/(x+i)
#
# As θ → 0 these become Erlang C's formulas (A → 1/(1 - ρ), E → -(nμ - λ)t).

# Beyond this x or y (patience over ~1e9 service times per agent) the series would need too
# many terms; the result is then within about 1e-9 of its limit and that limit is used.
_LARGE = 1e9
_EPSILON = 1e-18


def _log_rising_ratio(x: float, y: float, j: int) -> float:
    """log of y^j / ((x+1)…(x+j)), accurate when x is huge and x + j is close to y."""
    if j == 0:
        return 0.0
    z1, z2 = x + 1.0, x + 1.0 + j
    if z1 < 50:
        return j * math.log(y) - (math.lgamma(z2) - math.lgamma(z1))

    # Stirling's series; the log terms are written relative to y so they do not cancel.
    def correction(z: float) -> float:
        return 1 / (12 * z) - 1 / (360 * z**3) + 1 / (1260 * z**5)

    return (
        j
        + (z1 - 0.5) * math.log(z1 / y)
        - (z2 - 0.5) * math.log1p((z2 - y) / y)
        - (correction(z2) - correction(z1))
    )


def _harmonic(x: float, m: int) -> float:
    """sum_{i=1}^{m} 1/(x+i), directly for short sums, via digamma differences otherwise."""
    if m <= 5000:
        return math.fsum(1.0 / (x + i) for i in range(1, m + 1))
    head = 0.0
    while x + 1 < 20:  # move the argument up so the asymptotic series is accurate
        head += 1.0 / (x + 1)
        x += 1
        m -= 1
    z1, z2 = x + 1, x + m + 1  # psi(z2) - psi(z1), each difference formed exactly
    return (
        head
        + math.log1p(m / z1)
        + m / (2 * z1 * z2)
        + (1 / z1**2 - 1 / z2**2) / 12
        - (1 / z1**4 - 1 / z2**4) / 120
        + (1 / z1**6 - 1 / z2**6) / 252
        - (1 / z1**8 - 1 / z2**8) / 240
    )


@dataclass(frozen=True)
class _Series:
    log_a: float  # log A(x, y)
    abandon: float  # P(abandon | wait)
    answered_wait_theta: float  # θ · E[wait; answered | wait]


def _series(x: float, y: float, *, moments: bool) -> _Series:
    """Sum r_q = y^q / ((x+1)…(x+q)) outward from its largest term, scaled by that term."""
    peak = max(0, math.floor(y - x))  # r_q rises while x + q < y
    log_scale = _log_rising_ratio(x, y, peak)
    total = abandon = waited = 0.0
    h_peak = _harmonic(x, peak + 1) if moments else 0.0

    def add(q: int, term: float, h: float) -> None:
        nonlocal total, abandon, waited
        total += term
        if moments:
            abandon += term * (q + 1) / (x + q + 1)
            waited += term * x / (x + q + 1) * h

    # Upward from the peak: terms fall at least geometrically once past it.
    term, h, q = 1.0, h_peak, peak
    while True:
        add(q, term, h)
        q += 1
        term *= y / (x + q)
        h += 1.0 / (x + q + 1)
        if term < _EPSILON * total:
            break
    # Downward from the peak.
    term, h, q = 1.0, h_peak, peak
    while q > 0:
        term *= (x + q) / y
        h -= 1.0 / (x + q + 1)
        q -= 1
        if term < _EPSILON * total:
            break
        add(q, term, h)
    return _Series(
        log_a=log_scale + math.log(total),
        abandon=abandon / total,
        answered_wait_theta=waited / total,
    )


def _logistic_of_minus(r: float) -> float:
    """1 / (1 + e^r) without overflow."""
    if r > 0:
        e = math.exp(-r)
        return e / (1 + e)
    return 1 / (1 + math.exp(r))


def _erlang_a_result(
    *,
    rate: float,
    aht: float,
    patience: float,
    agents: int,
    b: float,
    answer_time: float,
    shrinkage: float,
) -> StaffingResult:
    traffic = rate * aht
    if traffic == 0:
        return StaffingResult(
            agents=agents,
            service_level=1.0,
            probability_of_waiting=0.0,
            average_speed_of_answer=0.0,
            occupancy=0.0,
            probability_of_abandon=0.0,
            scheduled_agents=scheduled(agents, shrinkage),
        )
    if agents == 0:
        return StaffingResult(
            agents=0,
            service_level=0.0,
            probability_of_waiting=1.0,
            average_speed_of_answer=math.inf,
            occupancy=0.0,
            probability_of_abandon=1.0,
            scheduled_agents=0,
        )
    theta = 1.0 / patience
    x = agents / (aht * theta) if theta else math.inf
    y = rate / theta if theta else math.inf
    if max(x, y) > _LARGE:  # patience is, for all purposes, infinite
        limit = _erlang_c_result(traffic, agents, b, aht, answer_time, shrinkage)
        # With an overloaded queue the abandonments are what keeps it finite: 1 - N/A leave.
        abandon = max(0.0, 1.0 - agents / traffic)
        return StaffingResult(
            **{**limit.as_dict(), "probability_of_abandon": abandon},
        )
    main = _series(x, y, moments=True)
    if b == 0.0:  # B underflowed: P(wait) is below 1e-300
        p_wait = 0.0
    else:
        p_wait = _logistic_of_minus(math.log1p(-b) - main.log_a - math.log(b))
    p_abandon = p_wait * main.abandon
    # Service level: not waiting, or waiting and answered within the answer time.
    theta_t = theta * answer_time
    if theta_t == 0:
        answered_in_time = 0.0
    else:
        s = math.exp(-theta_t)
        exponent = -(agents * answer_time / aht + theta_t) + rate * answer_time * (
            -math.expm1(-theta_t) / theta_t
        )
        log_a1 = _series(x + 1, y, moments=False).log_a
        log_a1s = _series(x + 1, y * s, moments=False).log_a
        answered_in_time = (
            x
            / (x + 1)
            * (math.exp(log_a1 - main.log_a) - math.exp(exponent + log_a1s - main.log_a))
        )
        answered_in_time = min(max(answered_in_time, 0.0), 1.0 - main.abandon)
    service_level = (1.0 - p_wait) + p_wait * answered_in_time
    answered = 1.0 - p_abandon
    asa = p_wait * main.answered_wait_theta / theta / answered if answered > 0 else math.inf
    return StaffingResult(
        agents=agents,
        service_level=min(max(service_level, 0.0), 1.0),
        probability_of_waiting=p_wait,
        average_speed_of_answer=asa,
        occupancy=min(1.0, traffic * answered / agents),
        probability_of_abandon=p_abandon,
        scheduled_agents=scheduled(agents, shrinkage),
    )


def _erlang_a_inputs(calls, interval_seconds, aht_seconds, patience_seconds, answer_time_seconds):
    _traffic(calls, interval_seconds, aht_seconds)  # validates the three
    if patience_seconds == math.inf:  # nobody hangs up: the Erlang C limit
        patience = math.inf
    else:
        patience = _check_number("patience_seconds", patience_seconds, positive=True)
    answer_time = _check_number("answer_time_seconds", answer_time_seconds)
    rate = float(calls) / float(interval_seconds)
    return rate, float(aht_seconds), patience, answer_time


def erlang_a_metrics(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    patience_seconds: float,
    agents: int,
    answer_time_seconds: float,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Erlang A: like Erlang C, but callers hang up after an exponential patience (mean
    `patience_seconds`; math.inf means never). Adds `probability_of_abandon`."""
    rate, aht, patience, answer_time = _erlang_a_inputs(
        calls, interval_seconds, aht_seconds, patience_seconds, answer_time_seconds
    )
    agents = _check_agents(agents)
    shrinkage = _check_shrinkage(shrinkage)
    b = erlang_b(rate * aht, agents)
    return _erlang_a_result(
        rate=rate,
        aht=aht,
        patience=patience,
        agents=agents,
        b=b,
        answer_time=answer_time,
        shrinkage=shrinkage,
    )


def erlang_a_required(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    patience_seconds: float,
    target: float,
    answer_time_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    max_agents: int | None = None,
) -> StaffingResult:
    """The fewest agents meeting the service level target under Erlang A (see erlang_a_metrics).

    Service level and occupancy are monotone in the number of agents, so this is a doubling
    search followed by bisection: a dozen evaluations even for thousands of agents.
    """
    rate, aht, patience, answer_time = _erlang_a_inputs(
        calls, interval_seconds, aht_seconds, patience_seconds, answer_time_seconds
    )
    target = _check_target(target)
    shrinkage = _check_shrinkage(shrinkage)
    max_occupancy = _check_max_occupancy(max_occupancy)
    traffic = rate * aht
    cap = _search_cap(traffic, max_occupancy)
    if max_agents is not None:
        cap = min(cap, _check_agents(max_agents))

    def evaluate(n: int) -> StaffingResult:
        return _erlang_a_result(
            rate=rate,
            aht=aht,
            patience=patience,
            agents=n,
            b=erlang_b(traffic, n),
            answer_time=answer_time,
            shrinkage=shrinkage,
        )

    def meets(result: StaffingResult) -> bool:
        return result.service_level >= target and result.occupancy <= max_occupancy

    if traffic == 0:
        return evaluate(0)
    low = 0  # known not to meet the target (nobody answers)
    high = min(cap, max(1, math.ceil(traffic / 2)))
    best = evaluate(high)
    while not meets(best):
        if high >= cap:
            raise TargetUnreachable(
                f"the target cannot be met with at most {cap} agents ({traffic:.4g} Erlang offered)"
            )
        low, high = high, min(cap, high * 2)
        best = evaluate(high)
    while high - low > 1:
        middle = (low + high) // 2
        result = evaluate(middle)
        if meets(result):
            high, best = middle, result
        else:
            low = middle
    return best


# --- counters: walk-ins plus booked appointments --------------------------------------------


def counter_required(
    *,
    arrivals: float,
    interval_seconds: float,
    service_seconds: float,
    target: float,
    wait_seconds: float,
    booked_minutes: float = 0.0,
    shrinkage: float = 0.0,
    max_agents: int | None = None,
) -> StaffingResult:
    """Desks needed at a counter: walk-ins queue (M/M/c, Erlang C, target = share served within
    `wait_seconds`), appointments are already booked.

    The booked appointments take `booked_minutes` of staff time inside the interval; that time
    is set aside as whole desks (booked minutes / interval length, rounded up) which do not
    serve the walk-in queue. This is conservative: in reality a desk between appointments may
    take a walk-in, so the true need can be slightly lower, never higher. The service level,
    waiting and ASA are those of the walk-ins; occupancy is over all desks, appointments
    included.
    """
    booked_minutes = _check_number("booked_minutes", booked_minutes)
    interval = _check_number("interval_seconds", interval_seconds, positive=True)
    shrinkage = _check_shrinkage(shrinkage)
    booked_desks = math.ceil(round(booked_minutes * 60 / interval, 9))
    walk_in_cap = None if max_agents is None else _check_agents(max_agents) - booked_desks
    if walk_in_cap is not None and walk_in_cap < 0:
        raise TargetUnreachable("the booked appointments alone need more desks than allowed")
    walk_in = erlang_c_required(
        calls=arrivals,
        interval_seconds=interval,
        aht_seconds=service_seconds,
        target=target,
        answer_time_seconds=wait_seconds,
        max_agents=walk_in_cap,
    )
    agents = walk_in.agents + booked_desks
    busy = _traffic(arrivals, interval, service_seconds) + booked_minutes * 60 / interval
    return StaffingResult(
        agents=agents,
        service_level=walk_in.service_level,
        probability_of_waiting=walk_in.probability_of_waiting,
        average_speed_of_answer=walk_in.average_speed_of_answer,
        occupancy=busy / agents if agents else 0.0,
        scheduled_agents=scheduled(agents, shrinkage),
    )
