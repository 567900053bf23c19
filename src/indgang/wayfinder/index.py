"""The wayfinder's search index: ranks services for a query in the citizen's own words.

Each service is seen through short *phrases* that name it (its title, the keywords staff edit, the
lexicon's everyday and English words, KL's index words and the KLE title) and through its *texts*
(summary and body). A query scores a service by

- the best phrase it covers: the IDF-weighted share of the phrase's words found in the query,
  times the weight those words carry (a compound's parts stand in for the compound, so "støtte til
  bolig" covers "boligstøtte");
- BM25 over the texts, so a need described in words only the body uses is still found;
- how much of the query the service explains (*coverage*): a query about dogs that shares only
  "skat" with "ejendomsskat" covers half of itself and is not answered with confidence.

The index is immutable plain Python built from `ServiceDoc` records; `freshness.current_index()`
keeps one per process and rebuilds it when the catalogue changes.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .analysis import content_words, normalise, stem
from .lexicon import LexiconEntry
from .results import Answer, Match, Suggestion
from .vocabulary import MIN_PART, Option, Vocabulary

# How much a fully covered phrase of each kind counts.
PHRASE_WEIGHTS = {"title": 1.0, "keyword": 1.0, "lexicon": 0.9, "stikord": 0.5, "kle": 0.5}
# BM25F: how much a word in each text field counts against one in the summary.
TEXT_WEIGHTS = {"summary": 1.0, "body": 0.35}
BM25_K1, BM25_B = 1.2, 0.75
TEXT_SHARE = 0.3  # BM25's share of the score beside the best phrase
OTHER_PHRASES_SHARE = 0.15  # further phrases of the same service add a little
PART_CREDIT = 0.9  # a compound matched through its parts counts a little less than the word
TEXT_ONLY_COVERAGE = 0.5  # a query word found only in a service's texts explains less of it
BODY_WORD_IMPORTANCE = 0.35  # words no phrase uses anywhere matter less for coverage

# A confident answer scores at least this share of the highest IDF in the catalogue (what one
# word that names a single service is worth, so the bar scales with the catalogue's size), after a
# further, gentle discount for the part of the query it leaves unexplained. Chosen on the labelled
# query sets so that the wayfinder abstains on most needs no service fits and answers most others.
CONFIDENT_SHARE_OF_MAX_IDF = 0.555
CONFIDENT_COVERAGE_POWER = 0.25


@dataclass(frozen=True)
class ServiceDoc:
    """What the index needs to know about one published service."""

    service_id: int
    slug: str
    title: str
    kle: str = ""
    kle_title: str = ""
    keywords: tuple[str, ...] = ()
    stikord: tuple[str, ...] = ()
    summary: str = ""
    body: str = ""


@dataclass(frozen=True)
class _Slot:
    stem: str
    parts: tuple[str, ...]  # stems of the compound's parts; empty for a simple word


@dataclass(frozen=True)
class _Phrase:
    service: int
    weight: float
    slots: tuple[_Slot, ...]


@dataclass
class _Scored:
    phrase_best: float = 0.0
    phrase_sum: float = 0.0
    text: float = 0.0
    coverage: float = 0.0
    score: float = 0.0


@dataclass(frozen=True)
class _Unit:
    """One content word of the query and its readings."""

    word: str
    options: tuple[Option, ...]
    importance: float


@dataclass
class _Built:
    phrases: list[_Phrase] = field(default_factory=list)
    phrase_postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    text_postings: dict[str, list[tuple[int, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )


class WayfinderIndex:
    def __init__(
        self,
        docs: Sequence[ServiceDoc],
        lexicon: Iterable[LexiconEntry] = (),
        dictionary: Iterable[str] = (),
    ):
        """`dictionary`: more texts whose words may be parts of compounds or targets of
        spelling correction (KLE's titles and index words), though no service uses them."""
        self.docs = list(docs)
        phrase_texts = self._phrase_texts(lexicon)
        counts = self._word_counts(phrase_texts)
        for text in dictionary:
            for word in content_words(text):
                counts.setdefault(word, 0)
        self.vocabulary = Vocabulary(counts)
        self._phrase_stems: list[set[str]] = [set() for _ in self.docs]
        self._text_stems: list[set[str]] = [set() for _ in self.docs]
        built = _Built()
        for service, kind, text in phrase_texts:
            slots = tuple(self._slot(w) for w in content_words(text))
            if not slots:
                continue
            phrase_id = len(built.phrases)
            built.phrases.append(_Phrase(service, PHRASE_WEIGHTS[kind], slots))
            for slot in slots:
                for s in (slot.stem, *slot.parts):
                    self._phrase_stems[service].add(s)
                    built.phrase_postings[s].append(phrase_id)
        text_lengths = []
        for service, doc in enumerate(self.docs):
            weighted: dict[str, float] = defaultdict(float)
            length = 0.0
            for name, text in (("summary", doc.summary), ("body", doc.body)):
                for word in content_words(text):
                    for s in self._stems_of(word):
                        weighted[s] += TEXT_WEIGHTS[name]
                    length += TEXT_WEIGHTS[name]
            text_lengths.append(length)
            for s, tf in weighted.items():
                built.text_postings[s].append((service, tf))
                self._text_stems[service].add(s)
        self._text_lengths = text_lengths
        for stems in (*self._phrase_stems, *self._text_stems):
            self.vocabulary.add_served(stems)
        self._average_length = (sum(text_lengths) / len(text_lengths)) if text_lengths else 1.0
        self._phrases = built.phrases
        self._phrase_postings = dict(built.phrase_postings)
        self._text_postings = dict(built.text_postings)
        self._idf = self._compute_idf()
        self._max_idf = max(self._idf.values(), default=1.0)
        self._phrase_vocabulary = set().union(*self._phrase_stems) if self.docs else set()
        self._slot_totals = [
            sum(self.idf(slot.stem) for slot in phrase.slots) for phrase in self._phrases
        ]
        self._suggestions = self._suggestion_table()

    # -- building -------------------------------------------------------------------------

    def _phrase_texts(self, lexicon: Iterable[LexiconEntry]) -> list[tuple[int, str, str]]:
        texts: list[tuple[int, str, str]] = []
        named_by: dict[str, list[int]] = defaultdict(list)
        for service, doc in enumerate(self.docs):
            texts.append((service, "title", doc.title))
            named_by[normalise(doc.title).strip()].append(service)
            for keyword in doc.keywords:
                texts.append((service, "keyword", keyword))
                named_by[normalise(keyword).strip()].append(service)
            for word in doc.stikord:
                texts.append((service, "stikord", word))
            if doc.kle_title:
                texts.append((service, "kle", doc.kle_title))
        for entry in lexicon:
            for service in dict.fromkeys(named_by.get(normalise(entry.means).strip(), ())):
                texts.append((service, "lexicon", entry.term))
        return texts

    def _word_counts(self, phrase_texts: list[tuple[int, str, str]]) -> dict[str, int]:
        seen: dict[str, set[int]] = defaultdict(set)
        for service, _kind, text in phrase_texts:
            for word in content_words(text):
                seen[word].add(service)
        for service, doc in enumerate(self.docs):
            for word in content_words(f"{doc.summary} {doc.body}"):
                seen[word].add(service)
        return {word: len(services) for word, services in seen.items()}

    def _stems_of(self, word: str) -> tuple[str, ...]:
        slot = self._slot(word)
        return (slot.stem, *slot.parts)

    def _slot(self, word: str) -> _Slot:
        parts: tuple[str, ...] = ()
        if len(word) >= 2 * MIN_PART + 1:
            split = self.vocabulary.split(word)
            if split:
                parts = tuple(dict.fromkeys(stem(p) for p in split))
        return _Slot(stem(word), parts)

    def _compute_idf(self) -> dict[str, float]:
        frequency: dict[str, int] = defaultdict(int)
        for phrase_stems, text_stems in zip(self._phrase_stems, self._text_stems, strict=True):
            for s in phrase_stems | text_stems:
                frequency[s] += 1
        n = len(self.docs)
        return {s: math.log(1 + (n - df + 0.5) / (df + 0.5)) for s, df in frequency.items()}

    def idf(self, s: str) -> float:
        return self._idf.get(s, self._max_idf)

    def _suggestion_table(self) -> list[tuple[str, int, int, str]]:
        """(word start, rank, service, text) sorted, for prefix lookups by bisection."""
        table = []
        for service, doc in enumerate(self.docs):
            for rank, text in enumerate((doc.title, *doc.keywords)):
                for word in set(normalise(text).split()):
                    table.append((word, min(rank, 1), service, text))
                table.append((normalise(text), min(rank, 1), service, text))
        table.sort()
        return table

    # -- searching ------------------------------------------------------------------------

    def analyse(self, query: str) -> list[_Unit]:
        units = []
        for word in content_words(query):
            options = tuple(self.vocabulary.options(word))
            if not options and word.isdigit():
                continue  # an unknown number ("12 år") neither helps nor hurts
            units.append(_Unit(word, options, self._importance(options)))
        return units

    def _importance(self, options: tuple[Option, ...]) -> float:
        """How much a query word should weigh when judging how much of the query is explained."""
        if not options:
            return self._max_idf * 0.6
        best = options[0]
        value = max(self.idf(s) for s in best.stems)
        if not any(s in self._phrase_vocabulary for s in best.stems):
            value *= BODY_WORD_IMPORTANCE
        return value

    def search(self, query: str, limit: int = 6) -> Answer:
        units = self.analyse(query)
        weights: dict[str, float] = {}
        for unit in units:
            for option in unit.options:
                for s in option.stems:
                    weights[s] = max(weights.get(s, 0.0), option.weight)
        scored: dict[int, _Scored] = defaultdict(_Scored)
        self._score_phrases(weights, scored)
        self._score_texts(weights, scored)
        total_importance = sum(unit.importance for unit in units) or 1.0
        for service, result in scored.items():
            covered = sum(unit.importance * self._credit(unit, service) for unit in units)
            result.coverage = covered / total_importance
            other = min(result.phrase_sum - result.phrase_best, result.phrase_best)
            raw = result.phrase_best + OTHER_PHRASES_SHARE * other + TEXT_SHARE * result.text
            result.score = raw * (0.4 + 0.6 * result.coverage)
        ranked = sorted(scored.items(), key=lambda item: (-item[1].score, self.docs[item[0]].title))
        ranked = [(s, r) for s, r in ranked if r.score > 0][:limit]
        matches = tuple(
            Match(
                service_id=self.docs[s].service_id,
                slug=self.docs[s].slug,
                title=self.docs[s].title,
                kle=self.docs[s].kle,
                score=round(r.score, 4),
            )
            for s, r in ranked
        )
        confident = bool(ranked) and self._is_confident(ranked[0][1], self._max_idf)
        return Answer(query=query, matches=matches, confident=confident)

    @staticmethod
    def _is_confident(best: _Scored, max_idf: float) -> bool:
        discounted = best.score * best.coverage**CONFIDENT_COVERAGE_POWER
        return discounted >= CONFIDENT_SHARE_OF_MAX_IDF * max_idf

    def _score_phrases(self, weights: dict[str, float], scored: dict[int, _Scored]) -> None:
        touched: set[int] = set()
        for s in weights:
            touched.update(self._phrase_postings.get(s, ()))
        for phrase_id in touched:
            phrase = self._phrases[phrase_id]
            matched = covered = 0.0
            for slot in phrase.slots:
                credit = weights.get(slot.stem, 0.0)
                share = 1.0 if credit else 0.0
                if slot.parts and credit < PART_CREDIT:
                    part_idf = sum(self.idf(p) for p in slot.parts)
                    via_parts = sum(self.idf(p) * weights.get(p, 0.0) for p in slot.parts)
                    if PART_CREDIT * via_parts / part_idf > credit:
                        credit = PART_CREDIT * via_parts / part_idf
                        share = sum(self.idf(p) for p in slot.parts if p in weights) / part_idf
                matched += self.idf(slot.stem) * credit
                covered += self.idf(slot.stem) * share
            if not matched:
                continue
            # How sure the reading of the query is (credit) counts once; how much of the phrase
            # the query covers (share) counts again, so a partly covered phrase weighs less.
            value = phrase.weight * matched * covered / self._slot_totals[phrase_id]
            result = scored[phrase.service]
            result.phrase_best = max(result.phrase_best, value)
            result.phrase_sum += value

    def _score_texts(self, weights: dict[str, float], scored: dict[int, _Scored]) -> None:
        for s, weight in weights.items():
            idf = self.idf(s)
            for service, tf in self._text_postings.get(s, ()):
                norm = 1 - BM25_B + BM25_B * self._text_lengths[service] / self._average_length
                scored[service].text += weight * idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)

    def _credit(self, unit: _Unit, service: int) -> float:
        """How far `service` explains one query word (1 = named in a phrase of the service)."""
        phrase_stems, text_stems = self._phrase_stems[service], self._text_stems[service]
        best = 0.0
        for option in unit.options:
            found = 0.0
            for s in option.stems:
                if s in phrase_stems:
                    found += 1.0
                elif s in text_stems:
                    found += TEXT_ONLY_COVERAGE
            best = max(best, option.weight * found / len(option.stems))
        return best

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Service titles and keywords with a word starting with `prefix`; titles first."""
        key = normalise(prefix).strip()
        if len(key) < 2:
            return []
        start = bisect.bisect_left(self._suggestions, (key,))
        found: dict[int, tuple[int, str]] = {}
        for word, rank, service, text in self._suggestions[start:]:
            if not word.startswith(key):
                break
            if service not in found or rank < found[service][0]:
                found[service] = (rank, text)
        ordered = sorted(found.items(), key=lambda item: (item[1][0], self.docs[item[0]].title))
        return [
            Suggestion(text=self.docs[s].title, slug=self.docs[s].slug) for s, _ in ordered[:limit]
        ]
