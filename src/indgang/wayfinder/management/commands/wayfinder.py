"""`indgang wayfinder "QUERY"` ranks services; `indgang wayfinder evaluate FILE.csv` measures."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indgang.wayfinder.evaluation import EvaluationFileError, read_labelled_queries, run, summarise
from indgang.wayfinder.selectors import MAX_LIMIT, wayfinder_search


class Command(BaseCommand):
    help = (
        'Rank services for a query in the citizen\'s own words: wayfinder "QUERY" [--json] '
        "[--limit N]. Measure on labelled queries: wayfinder evaluate FILE.csv [--json]."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="+", help='the query, or "evaluate FILE.csv"')
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--limit", type=int, default=5, help="how many services (default 5)")
        parser.add_argument(
            "--misses", action="store_true", help="evaluate: also list the rows it got wrong"
        )

    def handle(self, *args, words, json: bool, limit: int, misses: bool, **options):
        if words[0] == "evaluate" and len(words) == 2:
            return self._evaluate(Path(words[1]), as_json=json, misses=misses)
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}")
        self._search(" ".join(words), limit=limit, as_json=json)

    def _search(self, query: str, *, limit: int, as_json: bool) -> None:
        answer = wayfinder_search(query=query, limit=limit)
        results = [
            {"slug": m.slug, "title": m.title, "kle": m.kle, "score": m.score}
            for m in answer.matches
        ]
        if as_json:
            payload = {"query": query, "confident": answer.confident, "results": results}
            self.stdout.write(_dumps(payload))
            return
        if not results:
            self.stdout.write("No service matches.")
            return
        self.stdout.write("confident" if answer.confident else "not confident")
        for position, row in enumerate(results, 1):
            self.stdout.write(
                f"{position:>2}. {row['score']:>7.3f}  {row['slug']:<28} {row['kle']:<9} {row['title']}"
            )

    def _evaluate(self, path: Path, *, as_json: bool, misses: bool) -> None:
        try:
            rows = read_labelled_queries(path)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        outcomes = run(rows, lambda q: wayfinder_search(query=q, limit=10))
        report = summarise(outcomes)
        if as_json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            labels = {
                "n": "rows",
                "top1": "top-1 accuracy",
                "top3": "top-3 accuracy",
                "mrr": "mean reciprocal rank",
                "abstain": "abstains where no service fits",
                "confident": "confident where a service fits",
                "p50_ms": "latency p50 (ms)",
                "p95_ms": "latency p95 (ms)",
            }
            for key, value in report.as_dict().items():
                self.stdout.write(f"{labels[key]:<34} {value}")
        if misses:
            for outcome in outcomes:
                wrong = (outcome.rank != 1) if outcome.row.expected else outcome.confident
                if wrong:
                    expected = "|".join(sorted(outcome.row.expected)) or "-"
                    got = ",".join(outcome.ranked[:3]) or "(nothing)"
                    flag = "confident" if outcome.confident else "unsure"
                    self.stderr.write(f"{outcome.row.query!r}: want {expected}, got {got} ({flag})")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
