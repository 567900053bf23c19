"""The team's lexicon: everyday and English words citizens use, and the catalogue wording they mean.

Shipped as CSV files (`term,means`) in `data/lexicon/`. `means` is a service's title or one of its
keywords, so the lexicon stays valid for any municipality whose catalogue uses the common wording:
"børnecheck" means "børne- og ungeydelse", "passport" means "pas".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "data" / "lexicon"


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    means: str


def read_lexicon(directory: Path = LEXICON_DIR) -> tuple[LexiconEntry, ...]:
    """Every `term,means` row of the CSV files in `directory`, in file and row order."""
    entries: dict[tuple[str, str], LexiconEntry] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                term = (row.get("term") or "").strip()
                means = (row.get("means") or "").strip()
                if term and means:
                    entries.setdefault(
                        (term.casefold(), means.casefold()), LexiconEntry(term, means)
                    )
    return tuple(entries.values())


@lru_cache(maxsize=1)
def shipped_lexicon() -> tuple[LexiconEntry, ...]:
    return read_lexicon()
