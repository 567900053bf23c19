"""Shared pieces of the wayfinder's page tests."""

from __future__ import annotations

from indgang.catalogue.models import Service
from indgang.core.tests.municipality import PageTestCase
from indgang.wayfinder.freshness import forget_index
from indgang.wayfinder.results import Answer, Match


class WayfinderPageTestCase(PageTestCase):
    """The small municipality, searched with an index built from this test's catalogue.

    The engine keeps one index per process and checks for catalogue changes only every few
    seconds; each test starts from a fresh one so no other test's catalogue leaks in.
    """

    def setUp(self):
        super().setUp()
        forget_index()
        self.addCleanup(forget_index)


def answer_for(query: str, *services: Service, confident: bool = True) -> Answer:
    """An answer as the engine would give it, so page tests do not depend on how it ranks."""
    return Answer(
        query=query,
        matches=tuple(
            Match(
                service_id=s.pk,
                slug=s.slug,
                title=s.title,
                kle=s.kle.number if s.kle_id else "",
                score=1.0 - i / 10,
            )
            for i, s in enumerate(services)
        ),
        confident=confident,
    )
