"""Measures the wayfinder on labelled queries: `indgang wayfinder evaluate FILE.csv`.

A row is `query,expected`; expected is one or more slugs separated by `|` (any of them is right),
or `-` when no service fits and the wayfinder should say it is not sure.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .results import Answer

NO_SERVICE = "-"


class EvaluationFileError(ValueError):
    """The evaluation file cannot be read as `query,expected` rows."""


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    expected: frozenset[str]  # empty when no service fits


@dataclass(frozen=True)
class Outcome:
    row: LabelledQuery
    ranked: tuple[str, ...]
    confident: bool
    milliseconds: float

    @property
    def rank(self) -> int | None:
        """1-based position of the first right service, None when it is not among the results."""
        for position, slug in enumerate(self.ranked, 1):
            if slug in self.row.expected:
                return position
        return None


@dataclass(frozen=True)
class Report:
    n: int
    top1: float
    top3: float
    mrr: float
    abstain: float
    confident: float
    p50_ms: float
    p95_ms: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def read_labelled_queries(path: Path) -> list[LabelledQuery]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"query", "expected"} <= set(reader.fieldnames):
                raise EvaluationFileError(f"{path}: the first line must be 'query,expected'")
            rows = []
            for line, record in enumerate(reader, 2):
                query = (record["query"] or "").strip()
                expected = (record["expected"] or "").strip()
                if not query or not expected:
                    raise EvaluationFileError(f"{path}, line {line}: query and expected are needed")
                slugs = frozenset(
                    s.strip() for s in expected.split("|") if s.strip() and s.strip() != NO_SERVICE
                )
                rows.append(LabelledQuery(query, slugs))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise EvaluationFileError(f"{path}: {error}") from error
    return rows


def run(rows: Iterable[LabelledQuery], search: Callable[[str], Answer]) -> list[Outcome]:
    outcomes = []
    for row in rows:
        started = time.perf_counter()
        answer = search(row.query)
        elapsed = (time.perf_counter() - started) * 1000
        ranked = tuple(match.slug for match in answer.matches)
        outcomes.append(Outcome(row, ranked, answer.confident, elapsed))
    return outcomes


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def summarise(outcomes: list[Outcome]) -> Report:
    answerable = [o for o in outcomes if o.row.expected]
    unanswerable = [o for o in outcomes if not o.row.expected]
    ranks = [o.rank for o in answerable]

    def share(count: int, total: int) -> float:
        return round(count / total, 4) if total else 0.0

    latencies = [o.milliseconds for o in outcomes]
    return Report(
        n=len(outcomes),
        top1=share(sum(1 for r in ranks if r == 1), len(answerable)),
        top3=share(sum(1 for r in ranks if r is not None and r <= 3), len(answerable)),
        mrr=round(sum(1 / r for r in ranks if r) / len(answerable), 4) if answerable else 0.0,
        abstain=share(sum(1 for o in unanswerable if not o.confident), len(unanswerable)),
        confident=share(sum(1 for o in answerable if o.confident), len(answerable)),
        p50_ms=round(percentile(latencies, 0.50), 3),
        p95_ms=round(percentile(latencies, 0.95), 3),
    )
