"""One wayfinder index per process, rebuilt when the catalogue changes.

The catalogue lives in the database, shared by every app process. Each process keeps the index it
built together with a *fingerprint* of what it was built from (number of services and KLE
entries, the newest change to any service) and, at most every `WAYFINDER_REFRESH_SECONDS`, asks
the database for the current fingerprint with one aggregate query. A keyword saved in the admin
therefore reaches every worker within seconds, without a restart or a message bus.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Max

from indgang.catalogue.models import KleEntry, Service

from .documents import kle_dictionary, service_documents
from .index import WayfinderIndex
from .lexicon import shipped_lexicon

Fingerprint = tuple


def catalogue_fingerprint() -> Fingerprint:
    services = Service.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    kle = KleEntry.objects.aggregate(n=Count("id"), published=Max("source_publication"))
    return (services["n"], services["changed"], kle["n"], kle["published"])


class IndexHolder:
    """Keeps an index and rebuilds it when `fingerprint()` changes; safe across threads."""

    def __init__(
        self,
        build: Callable[[], WayfinderIndex],
        fingerprint: Callable[[], Fingerprint],
        clock: Callable[[], float] = time.monotonic,
    ):
        self._build = build
        self._fingerprint = fingerprint
        self._clock = clock
        self._lock = threading.Lock()
        self._index: WayfinderIndex | None = None
        self._built_from: Fingerprint | None = None
        self._checked_at = float("-inf")

    def get(self) -> WayfinderIndex:
        now = self._clock()
        interval = getattr(settings, "WAYFINDER_REFRESH_SECONDS", 2.0)
        if self._index is not None and now - self._checked_at < interval:
            return self._index
        with self._lock:
            if self._index is not None and self._clock() - self._checked_at < interval:
                return self._index
            current = self._fingerprint()
            if self._index is None or current != self._built_from:
                self._index = self._build()
                self._built_from = current
            self._checked_at = self._clock()
            return self._index

    def forget(self) -> None:
        """Drop the index, so the next search rebuilds it (tests that change the catalogue)."""
        with self._lock:
            self._index = None
            self._built_from = None


def build_index() -> WayfinderIndex:
    return WayfinderIndex(service_documents(), shipped_lexicon(), kle_dictionary())


_holder = IndexHolder(build_index, catalogue_fingerprint)


def current_index() -> WayfinderIndex:
    return _holder.get()


def forget_index() -> None:
    _holder.forget()
