"""Writes for the wayfinder: the masked query log and the citizens' "Did this help?" answers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from indgang.lib.masking import mask_personal_data

from .models import (
    QUERY_LOG_RETENTION_DAYS,
    QUERY_TEXT_MAX_LENGTH,
    QuerySource,
    WayfinderFeedback,
    WayfinderQuery,
)
from .results import Answer


def query_normalise(text: str) -> str:
    """The form queries are counted by: case folded, single spaces."""
    return " ".join(text.casefold().split())[:QUERY_TEXT_MAX_LENGTH]


@transaction.atomic
def wayfinder_query_record(
    *, query: str, answer: Answer, language: str, source: str = QuerySource.PAGE
) -> WayfinderQuery:
    """Log one search. Personal data in `query` is masked before anything is stored."""
    masked = mask_personal_data(query).strip()[:QUERY_TEXT_MAX_LENGTH]
    best = answer.best
    log = WayfinderQuery(
        text=masked,
        normalised=query_normalise(masked),
        language=language[:10],
        source=source,
        best_slug=best.slug if best else "",
        confident=answer.confident,
        match_count=min(len(answer.matches), 32767),
    )
    log.full_clean()
    log.save()
    return log


@transaction.atomic
def wayfinder_feedback_record(*, query_log: WayfinderQuery, helpful: bool) -> WayfinderFeedback:
    """Record whether the answer helped; answering again for the same search replaces the answer."""
    feedback = WayfinderFeedback.objects.filter(query=query_log).first()
    if feedback is None:
        feedback = WayfinderFeedback(query=query_log)
    feedback.helpful = helpful
    feedback.created_at = timezone.now()
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def wayfinder_query_log_prune(
    *, older_than_days: int = QUERY_LOG_RETENTION_DAYS, now: dt.datetime | None = None
) -> int:
    """Delete logged queries (and their feedback) older than `older_than_days`; returns how many.

    Nothing calls this on a schedule yet: run it from a periodic job (cron or a task) once one
    exists. The default keeps half a year of queries, enough to see seasonal questions.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    deleted, per_model = WayfinderQuery.objects.filter(created_at__lt=cutoff).delete()
    return per_model.get(WayfinderQuery._meta.label, 0)
