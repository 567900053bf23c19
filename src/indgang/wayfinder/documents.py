"""Reads the published catalogue into the plain records the wayfinder index is built from."""

from __future__ import annotations

import html
import re

from indgang.catalogue.models import KleEntry, Service

from .index import ServiceDoc

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text or ""))


def service_documents() -> list[ServiceDoc]:
    """One `ServiceDoc` per published service, with its KLE topic's title and index words."""
    services = Service.objects.published().select_related("kle").order_by("slug")
    return [
        ServiceDoc(
            service_id=service.pk,
            slug=service.slug,
            title=service.title,
            kle=service.kle.number if service.kle else "",
            kle_title=service.kle.title if service.kle else "",
            keywords=tuple(service.keyword_list()),
            stikord=tuple(service.kle.stikord) if service.kle else (),
            summary=service.summary,
            body=" ".join(
                _plain(text) for text in (service.about, service.eligibility, service.how_to)
            ),
        )
        for service in services
    ]


def kle_dictionary() -> list[str]:
    """Titles and index words of every KLE entry: municipal Danish for splitting compounds."""
    texts = []
    for title, stikord in KleEntry.objects.values_list("title", "stikord"):
        texts.append(title)
        texts.extend(stikord or ())
    return texts
