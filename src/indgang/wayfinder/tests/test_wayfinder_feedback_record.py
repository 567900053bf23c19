from django.test import TestCase

from indgang.wayfinder.models import WayfinderFeedback
from indgang.wayfinder.services import wayfinder_feedback_record

from .factories import WayfinderQueryFactory


class WayfinderFeedbackRecordTests(TestCase):
    def test_it_records_whether_the_answer_helped(self):
        query_log = WayfinderQueryFactory()
        feedback = wayfinder_feedback_record(query_log=query_log, helpful=True)
        self.assertEqual(feedback.query, query_log)
        self.assertTrue(WayfinderFeedback.objects.get().helpful)

    def test_answering_again_replaces_the_answer(self):
        query_log = WayfinderQueryFactory()
        wayfinder_feedback_record(query_log=query_log, helpful=True)
        wayfinder_feedback_record(query_log=query_log, helpful=False)
        self.assertEqual(WayfinderFeedback.objects.count(), 1)
        self.assertFalse(WayfinderFeedback.objects.get().helpful)
