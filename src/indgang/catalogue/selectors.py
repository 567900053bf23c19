"""Reads for the citizen pages of the catalogue: services and life events."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch

from .models import LifeEvent, LifeEventStep, PublicationStatus, Service

# Longer queries are cut here: nobody types more, and it bounds the work per request.
MAX_QUERY_LENGTH = 200

# Danish dictionary order: the letters Æ, Ø and Å come after Z; Ä, Ö and Ü sort with Æ, Ø and Y.
DANISH_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"
_FOLD_TO_DANISH = {"Ä": "Æ", "Ö": "Ø", "Ü": "Y"}
_RANK = {letter: i for i, letter in enumerate(DANISH_ALPHABET)}
OTHER_LETTER = "#"


def _danish_letter(char: str) -> str:
    """The letter of the Danish alphabet a character files under (É → E, Å → Å, 1 → #)."""
    upper = char.upper()
    upper = _FOLD_TO_DANISH.get(upper, upper)
    if upper in _RANK:
        return upper
    base = unicodedata.normalize("NFD", upper)[:1]
    return base if base in _RANK else OTHER_LETTER


def danish_sort_key(text: str) -> tuple[tuple[int, str], ...]:
    """A key that orders text as a Danish dictionary does, ignoring case and accents."""
    key = []
    for char in text.strip():
        letter = _danish_letter(char)
        if letter == OTHER_LETTER:
            # Digits and punctuation sort before letters, among themselves by code point.
            key.append((-1, char.casefold()))
        else:
            key.append((_RANK[letter], ""))
    return tuple(key)


def normalise_query(q: str | None) -> str:
    """The search text as typed, without control characters (e.g. NUL) and cut to a sane length."""
    if not q:
        return ""
    cleaned = "".join(" " if unicodedata.category(c).startswith("C") else c for c in q)
    return " ".join(cleaned.split())[:MAX_QUERY_LENGTH].strip()


def _haystack(service: Service) -> str:
    return " ".join([service.title, service.summary, service.keywords]).casefold()


def service_list(*, q: str | None = None) -> list[Service]:
    """Published services in Danish alphabetical order, optionally filtered by the words in `q`.

    Every word of `q` must occur in the title, summary or keywords. The filter runs in Python
    rather than SQL because SQLite's LIKE only folds case for ASCII ("æble" would not find
    "Æble"), and a municipality's catalogue is a few hundred rows.
    """
    services = sorted(
        Service.objects.published().select_related("kle"), key=lambda s: danish_sort_key(s.title)
    )
    return services_matching(services, q=q)


def services_matching(services: list[Service], *, q: str | None) -> list[Service]:
    """The services (in their order) whose title, summary or keywords contain every word of `q`."""
    words = normalise_query(q).casefold().split()
    if not words:
        return list(services)
    return [s for s in services if all(w in _haystack(s) for w in words)]


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    services: tuple[Service, ...]

    @property
    def anchor(self) -> str:
        # Ids must be ASCII-safe and stable across languages: "bogstav-AE" for Æ.
        return "bogstav-" + {"Æ": "AE", "Ø": "OE", "Å": "AA", OTHER_LETTER: "andre"}.get(
            self.letter, self.letter
        )


def services_by_letter(services: list[Service]) -> list[LetterGroup]:
    """Group services (already in Danish order) under the letter their title files under."""
    groups: dict[str, list[Service]] = {}
    for service in services:
        letter = _danish_letter(service.title.strip()[:1] or OTHER_LETTER)
        groups.setdefault(letter, []).append(service)
    order = [OTHER_LETTER, *DANISH_ALPHABET]
    return [LetterGroup(letter, tuple(groups[letter])) for letter in order if letter in groups]


def service_get(*, slug: str, include_drafts: bool = False) -> Service:
    """One service with what its page shows. Raises Service.DoesNotExist for unknown or draft slugs.

    `include_drafts` lets staff preview a service before it is published.
    """
    qs = Service.objects.select_related("kle", "department", "authority")
    if not include_drafts:
        qs = qs.published()
    return qs.get(slug=slug)


def life_events_for_service(*, service: Service) -> list[LifeEvent]:
    """Published life events that have a step pointing to this service."""
    return list(LifeEvent.objects.published().filter(steps__service=service).distinct())


def life_event_list() -> list[LifeEvent]:
    return list(LifeEvent.objects.published())


def life_event_get(*, slug: str) -> LifeEvent:
    """A published life event with its steps and their services, in order.

    Raises LifeEvent.DoesNotExist for unknown or draft slugs.
    """
    steps = LifeEventStep.objects.select_related("service").order_by("position", "pk")
    return (
        LifeEvent.objects.published()
        .prefetch_related(Prefetch("steps", queryset=steps))
        .get(slug=slug)
    )


def offerings_at_point(*, point) -> list:
    """Published services offered at a service point (walk-in, appointment), in Danish order."""
    offerings = point.offerings.filter(service__status=PublicationStatus.PUBLISHED).select_related(
        "service"
    )
    return sorted(offerings, key=lambda o: danish_sort_key(o.service.title))
