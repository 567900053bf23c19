"""`indgang demo` sets up queues, desks and booking policies at the physical service points."""

from django.test import TestCase

from indgang.demo.services import demo_load
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import BookingPolicy, Desk, Queue
from indgang.visits.services import desk_session_start, ticket_call_next, ticket_issue


class DemoVisitsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_the_town_hall_has_queues_a_b_and_c_with_the_right_services(self):
        queues = {q.code: q for q in Queue.objects.filter(service_point__slug="raadhuset")}
        self.assertEqual(queues["A"].name, "Pas og kørekort")
        self.assertEqual(queues["B"].name, "Øvrige henvendelser")
        self.assertEqual(
            set(queues["A"].services.values_list("slug", flat=True)),
            {"pas", "koerekort", "legitimationskort"},
        )
        self.assertIn("flytning", queues["B"].services.values_list("slug", flat=True))
        self.assertFalse(queues["B"].services.filter(sensitive=True).exists())
        self.assertTrue(queues["C"].services.exists())
        self.assertFalse(queues["C"].services.filter(sensitive=False).exists())

    def test_the_town_hall_has_counters_a_station_and_a_private_room(self):
        desks = Desk.objects.filter(service_point__slug="raadhuset")
        kinds = sorted(desks.values_list("kind", flat=True))
        self.assertEqual(kinds.count(DeskKind.COUNTER), 3)
        self.assertEqual(kinds.count(DeskKind.STATION), 1)
        room = desks.get(kind=DeskKind.PRIVATE_ROOM)
        self.assertIn("C", room.queues.values_list("code", flat=True))
        for desk in desks:
            self.assertTrue(desk.queues.exists(), desk.name)

    def test_each_library_has_a_queue_and_a_station_and_physical_points_a_policy(self):
        for slug in ("nordby-bibliotek", "strandvig-bibliotek"):
            with self.subTest(slug=slug):
                self.assertTrue(Queue.objects.filter(service_point__slug=slug).exists())
                self.assertTrue(Desk.objects.filter(service_point__slug=slug).exists())
        self.assertEqual(
            set(BookingPolicy.objects.values_list("service_point__slug", flat=True)),
            {"raadhuset", "nordby-bibliotek", "strandvig-bibliotek"},
        )

    def test_a_second_run_changes_nothing(self):
        counts = [m.objects.count() for m in (Queue, Desk, BookingPolicy)]
        histories = [Queue.history.count(), Desk.history.count()]
        demo_load()
        self.assertEqual([m.objects.count() for m in (Queue, Desk, BookingPolicy)], counts)
        self.assertEqual([Queue.history.count(), Desk.history.count()], histories)

    def test_a_sensitive_errand_at_the_town_hall_goes_to_the_private_room(self):
        from django.contrib.auth import get_user_model

        queue_c = Queue.objects.get(service_point__slug="raadhuset", code="C")
        ticket = ticket_issue(queue=queue_c, service=queue_c.services.first())
        clerk = get_user_model().objects.get(username="clerk")
        counter = Desk.objects.get(service_point__slug="raadhuset", name="Skranke 2")
        session = desk_session_start(desk=counter, user=clerk, queues=[queue_c])
        self.assertIsNone(ticket_call_next(session=session))
        room = Desk.objects.get(service_point__slug="raadhuset", kind=DeskKind.PRIVATE_ROOM)
        session = desk_session_start(desk=room, user=clerk, queues=room.queues.all())
        self.assertEqual(ticket_call_next(session=session), ticket)
