"""Reads of the query log for staff: the searches that found no good answer, counted together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WayfinderQuery

# The periods staff can choose between, in days; the first is not the default.
PERIOD_DAYS = (7, 30, 90)
DEFAULT_PERIOD_DAYS = 30


class ProblemKind(models.TextChoices):
    ALL = "all", _("No answer or not helpful")
    NO_ANSWER = "no_answer", _("No answer")
    UNHELPFUL = "unhelpful", _("Not helpful")


@dataclass(frozen=True)
class QueryGroup:
    """The searches with one normalised text in the period."""

    normalised: str
    text: str  # the latest search as typed (masked)
    searches: int
    no_answer: int
    unhelpful: int
    last_searched: dt.datetime
    best_slug: str  # the latest best match, "" when nothing matched


_NO_ANSWER = Q(confident=False)
_UNHELPFUL = Q(feedback__helpful=False)


def wayfinder_query_groups(
    *,
    days: int = DEFAULT_PERIOD_DAYS,
    kind: str = ProblemKind.ALL,
    now: dt.datetime | None = None,
) -> models.QuerySet:
    """Searches without a good answer in the last `days`, one row per normalised text, newest first.

    Each row is a dict with the fields of `QueryGroup`; `query_groups` turns rows into those.
    """
    since = (now or timezone.now()) - dt.timedelta(days=days)
    problems = {
        ProblemKind.NO_ANSWER: _NO_ANSWER,
        ProblemKind.UNHELPFUL: _UNHELPFUL,
    }.get(kind, _NO_ANSWER | _UNHELPFUL)
    latest = WayfinderQuery.objects.filter(
        normalised=OuterRef("normalised"), created_at__gte=since
    ).order_by("-created_at", "-pk")
    return (
        WayfinderQuery.objects.filter(problems, created_at__gte=since)
        .values("normalised")
        .annotate(
            searches=Count("pk"),
            no_answer=Count("pk", filter=_NO_ANSWER),
            unhelpful=Count("pk", filter=_UNHELPFUL),
            last_searched=Max("created_at"),
            text=Subquery(latest.values("text")[:1]),
            best_slug=Subquery(latest.values("best_slug")[:1]),
        )
        .order_by("-last_searched", "normalised")
    )


def query_groups(rows) -> list[QueryGroup]:
    return [QueryGroup(**row) for row in rows]
