"""Reads for the wayfinder: from the citizen's own words to ranked services."""

from __future__ import annotations

from .results import Answer, Match, Suggestion

DEFAULT_LIMIT = 6


def wayfinder_search(*, query: str, limit: int = DEFAULT_LIMIT) -> Answer:
    """The services `query` is most likely about, best first (at most `limit`).

    TEMPORARY: a plain title filter until the real engine lands (same signature).
    """
    from indgang.catalogue.models import Service

    words = query.casefold().split()
    matches = []
    for service in Service.objects.published().select_related("kle"):
        hay = f"{service.title} {service.keywords}".casefold()
        hits = sum(1 for w in words if w in hay)
        if hits:
            matches.append(
                Match(
                    service_id=service.pk,
                    slug=service.slug,
                    title=service.title,
                    kle=service.kle.number if service.kle else "",
                    score=hits / len(words),
                )
            )
    matches.sort(key=lambda m: -m.score)
    matches = matches[:limit]
    return Answer(query=query, matches=tuple(matches), confident=bool(matches) and matches[0].score >= 1)


def wayfinder_suggest(*, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Completions for what the citizen has typed so far (service titles first)."""
    from indgang.catalogue.models import Service

    prefix = prefix.strip().casefold()
    if len(prefix) < 2:
        return []
    return [
        Suggestion(text=s.title, slug=s.slug)
        for s in Service.objects.published()
        if s.title.casefold().startswith(prefix)
    ][:limit]
