import datetime as dt

from django.test import TestCase
from django.utils import timezone

from indgang.wayfinder.models import QUERY_LOG_RETENTION_DAYS, WayfinderFeedback, WayfinderQuery
from indgang.wayfinder.services import wayfinder_query_log_prune

from .factories import WayfinderFeedbackFactory, WayfinderQueryFactory


class WayfinderQueryLogPruneTests(TestCase):
    def test_it_deletes_searches_older_than_the_retention_with_their_feedback(self):
        now = timezone.now()
        old = now - dt.timedelta(days=QUERY_LOG_RETENTION_DAYS + 1)
        WayfinderFeedbackFactory(query__created_at=old)
        WayfinderQueryFactory(created_at=old)
        recent = WayfinderQueryFactory(
            created_at=now - dt.timedelta(days=QUERY_LOG_RETENTION_DAYS - 1)
        )
        self.assertEqual(wayfinder_query_log_prune(now=now), 2)
        self.assertEqual(list(WayfinderQuery.objects.all()), [recent])
        self.assertFalse(WayfinderFeedback.objects.exists())

    def test_it_takes_another_period(self):
        WayfinderQueryFactory(created_at=timezone.now() - dt.timedelta(days=8))
        self.assertEqual(wayfinder_query_log_prune(older_than_days=7), 1)
        self.assertEqual(wayfinder_query_log_prune(older_than_days=7), 0)
