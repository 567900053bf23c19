"""What a wayfinder search returns: ranked services and whether the best one can be trusted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    """One service the query may be about."""

    service_id: int
    slug: str
    title: str
    kle: str  # the KLE topic number, "" when the service has none
    score: float


@dataclass(frozen=True)
class Answer:
    """The ranked services for one query.

    `confident` is False when nothing fits well enough to tell the citizen "this is it": the
    page then says so honestly and offers a human instead of a confident wrong answer.
    """

    query: str
    matches: tuple[Match, ...]
    confident: bool

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def alternatives(self) -> tuple[Match, ...]:
        return self.matches[1:]


@dataclass(frozen=True)
class Suggestion:
    """A completion offered while the citizen types: a service title (or an everyday word)."""

    text: str
    slug: str
