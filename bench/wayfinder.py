"""The wayfinder against plain BM25 (bm25s, same stemmer and stopwords), on the same catalogue.

    .venv/bin/python bench/wayfinder.py [--repeat 3]

Quality on the labelled query sets (the shared development set and the team's own set), then
latency per query on the demo catalogue and on a generated catalogue of 2,000 services (the 93
demo services plus KLE topics turned into services: title, KL's guidance as text, index words as
keywords). Both engines run in this process on the same machine in the same run; the table shows
ratios, not only times.

Baselines:
- "BM25": bm25s over each service's catalogue text (title, keywords, KLE title and index words,
  summary, body), tokenised with the same Snowball Danish stemmer and Danish stopwords.
- "BM25 + lexicon": the same with the team lexicon's terms added to each service's text, so the
  difference to the wayfinder is the engine, not the vocabulary.
BM25 has no notion of "not sure", so it abstains never; its confident rate is 1 by construction.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/indgang-bench-wayfinder.sqlite3")
os.environ.setdefault("INDGANG_DEMO", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.settings.base")

import django  # noqa: E402

django.setup()

import bm25s  # noqa: E402
import Stemmer  # noqa: E402
from django.core.management import call_command  # noqa: E402

from indgang.catalogue.models import KleEntry, KleLevel  # noqa: E402
from indgang.demo.services import demo_load  # noqa: E402
from indgang.wayfinder.analysis import DANISH_STOPWORDS  # noqa: E402
from indgang.wayfinder.documents import _plain, kle_dictionary, service_documents  # noqa: E402
from indgang.wayfinder.evaluation import (  # noqa: E402
    read_labelled_queries,
    run,
    summarise,
)
from indgang.wayfinder.index import ServiceDoc, WayfinderIndex  # noqa: E402
from indgang.wayfinder.lexicon import shipped_lexicon  # noqa: E402
from indgang.wayfinder.results import Answer, Match  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERY_SETS = [
    ("shared dev set", ROOT.parent / "shared" / "wayfinder" / "dev-queries.csv"),
    ("team set", ROOT / "bench" / "data" / "wayfinder-team-queries.csv"),
]
GENERATED_SIZE = 2000


class Bm25Baseline:
    def __init__(self, docs: list[ServiceDoc], extra: dict[str, list[str]] | None = None):
        self.docs = docs
        self.stemmer = Stemmer.Stemmer("danish")
        corpus = []
        for doc in docs:
            parts = [doc.title, *doc.keywords, doc.kle_title, *doc.stikord, doc.summary, doc.body]
            parts += (extra or {}).get(doc.slug, [])
            corpus.append(" ".join(parts))
        tokens = bm25s.tokenize(
            corpus, stopwords=list(DANISH_STOPWORDS), stemmer=self.stemmer, show_progress=False
        )
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def search(self, query: str, limit: int = 10) -> Answer:
        tokens = bm25s.tokenize(
            [query], stopwords=list(DANISH_STOPWORDS), stemmer=self.stemmer, show_progress=False
        )
        k = min(limit, len(self.docs))
        ids, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        matches = tuple(
            Match(self.docs[i].service_id, self.docs[i].slug, self.docs[i].title, "", float(s))
            for i, s in zip(ids[0], scores[0], strict=True)
            if s > 0
        )
        return Answer(query=query, matches=matches, confident=bool(matches))


def lexicon_terms(docs: list[ServiceDoc]) -> dict[str, list[str]]:
    """The lexicon's terms per service slug, attached as the wayfinder attaches them."""
    named: dict[str, set[str]] = {}
    for doc in docs:
        for name in (doc.title, *doc.keywords):
            named.setdefault(name.casefold().strip(), set()).add(doc.slug)
    terms: dict[str, list[str]] = {}
    for entry in shipped_lexicon():
        for slug in named.get(entry.means.casefold().strip(), ()):
            terms.setdefault(slug, []).append(entry.term)
    return terms


def generated_catalogue(demo: list[ServiceDoc], size: int) -> list[ServiceDoc]:
    docs = list(demo)
    used = {doc.kle for doc in demo}
    topics = KleEntry.objects.filter(level=KleLevel.TOPIC, retired_on__isnull=True).exclude(
        number__in=used
    )
    for entry in topics.order_by("number")[: size - len(docs)]:
        docs.append(
            ServiceDoc(
                service_id=100_000 + entry.pk,
                slug=f"kle-{entry.number}",
                title=entry.title,
                kle=entry.number,
                kle_title=entry.title,
                keywords=tuple(entry.stikord),
                summary=_plain(entry.guidance)[:400],
                body=_plain(entry.guidance),
            )
        )
    return docs


def latency(search, queries: list[str], repeat: int) -> tuple[float, float]:
    for q in queries[:20]:
        search(q)  # warm caches
    timings = []
    for _ in range(repeat):
        for q in queries:
            start = time.perf_counter()
            search(q)
            timings.append((time.perf_counter() - start) * 1000)
    quantiles = statistics.quantiles(timings, n=100, method="inclusive")
    return quantiles[49], quantiles[94]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="latency passes over the queries")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    demo_load()
    demo_docs = service_documents()
    lexicon = shipped_lexicon()

    started = time.perf_counter()
    dictionary = kle_dictionary()
    ours = WayfinderIndex(demo_docs, lexicon, dictionary)
    build_ms = (time.perf_counter() - started) * 1000
    engines = {
        "wayfinder": lambda q: ours.search(q, limit=10),
        "BM25": Bm25Baseline(demo_docs).search,
        "BM25 + lexicon": Bm25Baseline(demo_docs, lexicon_terms(demo_docs)).search,
    }

    all_queries: list[str] = []
    print(f"Demo catalogue: {len(demo_docs)} services, {len(lexicon)} lexicon rows.\n")
    print(
        f"{'set':<16} {'engine':<16} {'n':>4} {'top-1':>6} {'top-3':>6} {'MRR':>6} "
        f"{'abstain':>8} {'confident':>9}"
    )
    for name, path in QUERY_SETS:
        if not path.exists():
            print(f"{name:<16} (missing: {path})")
            continue
        rows = read_labelled_queries(path)
        all_queries += [row.query for row in rows]
        for engine, search in engines.items():
            r = summarise(run(rows, search))
            print(
                f"{name:<16} {engine:<16} {r.n:>4} {r.top1:>6.3f} {r.top3:>6.3f} {r.mrr:>6.3f} "
                f"{r.abstain:>8.3f} {r.confident:>9.3f}"
            )

    random.Random(7).shuffle(all_queries)
    generated = generated_catalogue(demo_docs, GENERATED_SIZE)
    started = time.perf_counter()
    ours_large = WayfinderIndex(generated, lexicon, dictionary)
    build_large_ms = (time.perf_counter() - started) * 1000
    bm25_large = Bm25Baseline(generated)
    print(
        f"\nLatency per query over {len(all_queries)} queries × {args.repeat} passes, one thread "
        f"(index build: {build_ms:.0f} ms demo, {build_large_ms:.0f} ms for {len(generated)})."
    )
    print(f"{'catalogue':<24} {'engine':<10} {'p50 ms':>8} {'p95 ms':>8} {'p95 × BM25':>11}")
    for label, wayfinder, baseline in (
        (f"demo ({len(demo_docs)})", engines["wayfinder"], engines["BM25"]),
        (
            f"generated ({len(generated)})",
            lambda q: ours_large.search(q, limit=10),
            bm25_large.search,
        ),
    ):
        base50, base95 = latency(baseline, all_queries, args.repeat)
        our50, our95 = latency(wayfinder, all_queries, args.repeat)
        print(f"{label:<24} {'BM25':<10} {base50:>8.2f} {base95:>8.2f} {1:>11.2f}")
        print(f"{label:<24} {'wayfinder':<10} {our50:>8.2f} {our95:>8.2f} {our95 / base95:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
