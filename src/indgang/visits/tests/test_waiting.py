import datetime as dt

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from indgang.visits.lifecycle import TicketPriority, TicketStatus
from indgang.visits.models import Ticket
from indgang.visits.services import ticket_issue, ticket_set_status
from indgang.visits.waiting import (
    DEFAULT_SERVICE_MINUTES,
    estimate_wait,
    median_minutes,
    queue_desks_serving,
    queue_service_minutes,
    queue_wait,
    ticket_wait,
    tickets_ahead,
)

from .factories import QueueFactory
from .queue_fixtures import desk_serving


def minutes(*values):
    return [dt.timedelta(minutes=v) for v in values]


class EstimateTests(SimpleTestCase):
    def test_nobody_ahead_means_no_wait(self):
        wait = estimate_wait(ahead=0, service_minutes=8, desks=1)
        self.assertEqual((wait.position, wait.minutes), (1, 0))

    def test_each_desk_takes_one_at_a_time(self):
        self.assertEqual(estimate_wait(ahead=4, service_minutes=8, desks=1).minutes, 32)
        self.assertEqual(estimate_wait(ahead=4, service_minutes=8, desks=2).minutes, 16)

    def test_minutes_round_up_and_desks_are_at_least_one(self):
        self.assertEqual(estimate_wait(ahead=1, service_minutes=7.5, desks=0).minutes, 8)
        self.assertEqual(estimate_wait(ahead=1, service_minutes=7.5, desks=0).desks, 1)

    def test_the_median_ignores_implausible_durations(self):
        self.assertEqual(median_minutes(minutes(4, 6, 10, 500, 0)), 6)

    def test_no_history_gives_the_default(self):
        self.assertEqual(median_minutes([]), DEFAULT_SERVICE_MINUTES)


class SelectorTests(TestCase):
    def setUp(self):
        self.queue = QueueFactory(code="A")

    def serve(self, duration_minutes: float, *, ended_days_ago: int = 0):
        ticket = ticket_issue(queue=self.queue)
        end = timezone.now() - dt.timedelta(days=ended_days_ago)
        Ticket.objects.filter(pk=ticket.pk).update(
            status=TicketStatus.SERVED,
            started_at=end - dt.timedelta(minutes=duration_minutes),
            ended_at=end,
        )

    def test_service_minutes_are_the_median_of_the_last_two_weeks(self):
        for m in (4, 6, 20):
            self.serve(m)
        self.serve(60, ended_days_ago=20)
        self.assertEqual(queue_service_minutes(queue=self.queue), 6)

    def test_a_queue_without_history_uses_the_default(self):
        self.assertEqual(queue_service_minutes(queue=self.queue), DEFAULT_SERVICE_MINUTES)

    def test_desks_count_open_sessions_for_the_queue(self):
        self.assertEqual(queue_desks_serving(queue=self.queue), 1)
        desk_serving(self.queue, "Skranke 1")
        desk_serving(self.queue, "Skranke 2")
        desk_serving(QueueFactory(service_point=self.queue.service_point, code="B"), "Skranke 4")
        self.assertEqual(queue_desks_serving(queue=self.queue), 2)

    def test_position_follows_call_order(self):
        first = ticket_issue(queue=self.queue)
        second = ticket_issue(queue=self.queue)
        urgent = ticket_issue(queue=self.queue, priority=TicketPriority.PRIORITY_NEED)
        self.assertEqual(tickets_ahead(ticket=urgent), 0)
        self.assertEqual(tickets_ahead(ticket=first), 1)
        self.assertEqual(tickets_ahead(ticket=second), 2)
        ticket_set_status(ticket=urgent, status=TicketStatus.CANCELLED)
        self.assertEqual(ticket_wait(ticket=second).position, 2)

    def test_the_wait_uses_history_and_desks(self):
        self.serve(10)
        ticket_issue(queue=self.queue)
        ticket_issue(queue=self.queue)
        desk_serving(self.queue, "Skranke 1")
        desk_serving(self.queue, "Skranke 2")
        wait = queue_wait(queue=self.queue)
        self.assertEqual((wait.position, wait.minutes, wait.desks), (3, 10, 2))
