"""Danish text analysis for the wayfinder: the same steps for the catalogue and for queries.

Words are case-folded, split on anything that is not a letter or digit, and reduced with the
Snowball Danish stemmer (PyStemmer), the algorithm behind PostgreSQL's `danish` text search
configuration, so a stem computed here equals the one PostgreSQL computes. Stopwords are
PostgreSQL's Danish list plus the question words and fillers citizens put around their need, in
Danish and in English (newcomers write in English).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# PostgreSQL's tsearch_data/danish.stop (the Snowball list), word for word.
DANISH_STOPWORDS = frozenset(
    """og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om
    vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her
    alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit
    også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive
    mange ad bliver hendes været thi jer sådan""".split()
)

# What citizens wrap their need in: questions, modal verbs, politeness. None of them names a need.
QUERY_FILLERS = frozenset(
    """hvordan hvornår hvem hvilken hvilket hvilke hvorfor hvorhen hvorledes kan må får få gør
    gøre gerne bare lige godt hej tak venligst skal kunne vil ville bør nok mere mest
    søge søger ansøge ansøger ansøgning ansøgningen ansøgningsskema blanket ønsker ønske
    have har hjælpe jeres vores sin hvad finder finde brug bruge brug behov
    a an the my me mine we our us you your is are am was were be been being do does did doing
    how what where when who whom which why can could should would will shall may might must
    to of in on at for from with about by into as and or if it its this that these those there
    get getting got need needs want wants apply applying application please hi hello i im i'm
    """.split()
)

STOPWORDS = DANISH_STOPWORDS | QUERY_FILLERS

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Letters that are not Danish lose their accent (é → e, ü → u); æ, ø and å stay.
_KEEP = set("æøå")
# Typed without a Danish keyboard: æ as ae, ø as oe, å as aa. Also the German/Swedish letters.
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u"})

_stemmer = Stemmer.Stemmer("danish")


def _strip_accents(text: str) -> str:
    out = []
    for char in unicodedata.normalize("NFKC", text):
        if char in _KEEP or char.isascii():
            out.append(char)
            continue
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if base[0].isascii() and base[0].isalpha() else char)
    return "".join(out)


def normalise(text: str) -> str:
    """Case-folded text with non-Danish accents removed (NFKC first, so ligatures split)."""
    return _strip_accents(text.casefold())


def words(text: str) -> list[str]:
    """The words of `text`, normalised, in order (hyphens and punctuation split words)."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Danish stem of one normalised word."""
    return _stemmer.stemWord(word)


def fold(word: str) -> str:
    """A spelling key that equates æ/ae, ø/oe, å/aa (and ä, ö): "koerekort" ~ "kørekort"."""
    return word.translate(_FOLD)


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


def content_words(text: str) -> list[str]:
    """The words of `text` that can name a need: no stopwords, no single letters."""
    return [w for w in words(text) if len(w) > 1 and w not in STOPWORDS]
