from django.core import signing
from django.test import Client

from indgang.wayfinder.forms import FEEDBACK_SALT
from indgang.wayfinder.models import WayfinderFeedback, WayfinderQuery

from .base import WayfinderPageTestCase


class FeedbackTests(WayfinderPageTestCase):
    """ "Did this help?": a plain POST form that works without JavaScript."""

    def search(self, q="pas"):
        response = self.client.get("/en/vejviser/", {"q": q})
        return response.context["feedback_token"], WayfinderQuery.objects.latest("pk")

    def test_it_records_the_answer_against_the_logged_search(self):
        token, query_log = self.search()
        response = self.client.post(
            "/en/vejviser/hjalp-det/", {"token": token, "helpful": "no", "q": "pas"}
        )
        self.assertRedirects(
            response, "/en/vejviser/?q=pas&tak=1#feedback", fetch_redirect_response=False
        )
        feedback = WayfinderFeedback.objects.get()
        self.assertEqual(feedback.query, query_log)
        self.assertFalse(feedback.helpful)

    def test_it_thanks_the_citizen_on_the_same_results_without_logging_them_again(self):
        token, _ = self.search()
        response = self.client.post(
            "/en/vejviser/hjalp-det/", {"token": token, "helpful": "yes", "q": "pas"}, follow=True
        )
        self.assertContains(response, "Thank you for your answer.")
        self.assertNotContains(response, "Did this help?")
        self.assertEqual(WayfinderQuery.objects.count(), 1)
        self.assertTrue(WayfinderFeedback.objects.get().helpful)

    def test_a_second_answer_replaces_the_first(self):
        token, _ = self.search()
        for helpful in ["yes", "no"]:
            self.client.post("/vejviser/hjalp-det/", {"token": token, "helpful": helpful})
        self.assertEqual(WayfinderFeedback.objects.count(), 1)
        self.assertFalse(WayfinderFeedback.objects.get().helpful)

    def test_it_refuses_a_tampered_token(self):
        token, _ = self.search()
        other = WayfinderQuery.objects.create(
            text="andet", normalised="andet", language="da", confident=False, match_count=0
        )
        # Another row's id with this row's timestamp and signature.
        other_id = signing.dumps(other.pk, salt=FEEDBACK_SALT).split(":")[0]
        forged = other_id + token[token.index(":") :]
        for bad in [forged, token + "x", "", "1", signing.dumps(other.pk, salt="another-salt")]:
            with self.subTest(token=bad):
                response = self.client.post(
                    "/en/vejviser/hjalp-det/", {"token": bad, "helpful": "no", "q": "pas"}
                )
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "We could not record your answer", status_code=400)
        self.assertFalse(WayfinderFeedback.objects.exists())

    def test_it_refuses_an_answer_for_a_search_that_is_gone(self):
        token, query_log = self.search()
        query_log.delete()
        response = self.client.post("/vejviser/hjalp-det/", {"token": token, "helpful": "yes"})
        self.assertEqual(response.status_code, 400)

    def test_it_refuses_anything_but_yes_or_no(self):
        token, _ = self.search()
        for data in [{"token": token}, {"token": token, "helpful": "maybe"}, {"helpful": "yes"}]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post("/vejviser/hjalp-det/", data).status_code, 400)

    def test_it_only_allows_post(self):
        self.assertEqual(self.client.get("/vejviser/hjalp-det/").status_code, 405)

    def test_it_needs_the_csrf_token(self):
        token, _ = self.search()
        client = Client(enforce_csrf_checks=True)
        response = client.post("/vejviser/hjalp-det/", {"token": token, "helpful": "yes"})
        self.assertEqual(response.status_code, 403)

    def test_it_goes_back_to_the_empty_search_without_a_query(self):
        token, _ = self.search()
        response = self.client.post("/vejviser/hjalp-det/", {"token": token, "helpful": "yes"})
        self.assertRedirects(response, "/vejviser/#feedback", fetch_redirect_response=False)
