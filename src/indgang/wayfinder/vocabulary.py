"""The catalogue's own words: what a query word can be matched to.

A query word the catalogue does not know is resolved in order: the same word spelled with ae/oe/aa
for æ/ø/å, a compound split into known parts (with the linking -s- or -e-: *affalds|ordning*,
*begravelses|hjælp*, *børne|have*), then a misspelling within one edit (two for long words) of a
known word. Each way of reading the word is an `Option` with a weight below 1 for the less certain
readings, so a corrected word never counts as much as a word typed right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import fold, stem

MIN_PART = 3  # shortest part of a compound ("bil", "pas", "sfo")
LINKS = ("s", "e")  # Danish linking letters between the parts of a compound
WEIGHT_FOLDED = 0.95
WEIGHT_SPLIT = 0.85
WEIGHT_CORRECTED = 0.8
WEIGHT_PARTS_OF_KNOWN = 0.6  # a known compound also lends weight to its parts


@dataclass(frozen=True)
class Option:
    """One reading of a query word: the stems it stands for (several for a compound)."""

    stems: tuple[str, ...]
    weight: float
    how: str  # "exact", "folded", "split", "corrected", "parts"


def max_edits(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions; any value above `limit` is returned as limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Known words (normalised surface forms) with how many services use each."""

    def __init__(self, word_counts: dict[str, int]):
        self.counts = word_counts
        self.stems: dict[str, int] = defaultdict(int)
        for word, count in word_counts.items():
            self.stems[stem(word)] = max(self.stems[stem(word)], count)
        self._by_fold: dict[str, str] = {}
        for word in sorted(word_counts, key=lambda w: -word_counts[w]):
            if word_counts[word]:
                self._by_fold.setdefault(fold(word), word)
        # Symmetric-delete index (as in SymSpell): every known word and its stem, folded, and
        # their one-letter deletions, each pointing back to (indexed form, known word). Stems make
        # an inflected misspelling ("skraldespanen") meet its word ("skraldespand").
        self._near: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for word in word_counts:
            for form in {fold(word), fold(stem(word))}:
                if len(form) >= 4:
                    self._near[form].add((form, word))
                    for deleted in _deletes(form):
                        self._near[deleted].add((form, word))
        self._splits: dict[str, tuple[str, ...] | None] = {}
        self._served = {s for s, count in self.stems.items() if count}

    def add_served(self, stems: Iterable[str]) -> None:
        """Stems services use besides their own words: parts of their compounds."""
        self._served.update(stems)

    def knows(self, word: str) -> bool:
        """Known at all: used by a service or only listed in the dictionary (count 0)."""
        return word in self.counts or stem(word) in self.stems

    def serves(self, word: str) -> bool:
        """Used by at least one service, so matching on it can find something."""
        return stem(word) in self._served

    def _knows_part(self, part: str) -> bool:
        return len(part) >= MIN_PART and self.knows(part)

    def split(self, word: str, depth: int = 2) -> tuple[str, ...] | None:
        """Known parts of a compound, head first, or None. Prefers the most even split."""
        if word in self._splits:
            return self._splits[word]
        best: tuple[str, ...] | None = None
        best_rank: tuple[int, ...] = ()
        if len(word) >= 2 * MIN_PART:
            for i in range(MIN_PART, len(word) - MIN_PART + 1):
                head, tail = word[:i], word[i:]
                heads = [head, head[:-1]] if head[-1] in LINKS else [head]
                for candidate in heads:
                    if not self._knows_part(candidate):
                        continue
                    if self._knows_part(tail):
                        parts: tuple[str, ...] | None = (candidate, tail)
                    elif depth > 1:
                        rest = self.split(tail, depth - 1)
                        parts = (candidate, *rest) if rest else None
                    else:
                        parts = None
                    if parts:
                        # Parts that are words as written beat parts known only by their stem
                        # ("affald" over "affalds"); then fewer parts, then the most even split.
                        rank = (
                            sum(p in self.counts for p in parts),
                            -len(parts),
                            min(len(p) for p in parts),
                        )
                        if rank > best_rank:
                            best, best_rank = parts, rank
        self._splits[word] = best
        return best

    def correct(self, word: str) -> str | None:
        """The known word closest to a misspelled one (fewest edits, then most used), or None."""
        limit = max_edits(word)
        if not limit:
            return None
        best, best_rank = None, None
        for probe in {fold(word), fold(stem(word))}:
            candidates: set[tuple[str, str]] = set(self._near.get(probe, ()))
            for deleted in _deletes(probe):
                candidates |= self._near.get(deleted, set())
            for form, candidate in candidates:
                distance = damerau_levenshtein(probe, form, limit)
                if distance > limit:
                    continue
                rank = (distance, -self.counts[candidate], candidate)
                if best_rank is None or rank < best_rank:
                    best, best_rank = candidate, rank
        # Nearest to a word no service uses: the citizen meant that word, not one of ours.
        return best if best is not None and self.counts[best] else None

    def options(self, word: str) -> list[Option]:
        """The readings of one query word, best first; empty when the catalogue cannot read it.

        A word only the dictionary knows reads as its parts when it is a compound of served
        words ("affaldsordning"), and otherwise as nothing: it is a real word for a need the
        catalogue does not serve, never a misspelling of some other word.
        """
        if self.serves(word):
            options = [Option((stem(word),), 1.0, "exact")]
            if len(word) >= 2 * MIN_PART + 1 and (parts := self.split(word)):
                options.append(Option(_stems(parts), WEIGHT_PARTS_OF_KNOWN, "parts"))
            return options
        folded = self._by_fold.get(fold(word))
        if folded:
            return [Option((stem(folded),), WEIGHT_FOLDED, "folded")]
        parts = self.split(word)
        if parts and all(self.serves(p) for p in parts):
            return [Option(_stems(parts), WEIGHT_SPLIT, "split")]
        if self.knows(word):
            return []
        corrected = self.correct(word)
        if corrected:
            options = [Option((stem(corrected),), WEIGHT_CORRECTED, "corrected")]
            if parts := self.split(corrected):
                options.append(
                    Option(_stems(parts), WEIGHT_CORRECTED * WEIGHT_PARTS_OF_KNOWN, "parts")
                )
            return options
        return []


def _stems(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(stem(p) for p in parts))
