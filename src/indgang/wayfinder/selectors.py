"""Reads for the wayfinder: from the citizen's own words to ranked services."""

from __future__ import annotations

from .freshness import current_index
from .results import Answer, Suggestion

DEFAULT_LIMIT = 6
MAX_LIMIT = 50


def wayfinder_search(*, query: str, limit: int = DEFAULT_LIMIT) -> Answer:
    """The services `query` is most likely about, best first (at most `limit`).

    `Answer.confident` is False when no service fits well enough to be presented as the answer.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    return current_index().search(query, limit=limit)


def wayfinder_suggest(*, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Completions for what the citizen has typed so far: services whose title or keyword starts
    a word with `prefix`, titles first."""
    return current_index().suggest(prefix, limit=max(1, min(limit, MAX_LIMIT)))
