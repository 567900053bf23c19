from django.test import TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.inquiries.tests.factories import UserFactory
from indgang.visits.lifecycle import DeskKind, InvalidTransition, TicketPriority, TicketStatus
from indgang.visits.models import TicketEvent
from indgang.visits.services import (
    desk_session_start,
    ticket_call_next,
    ticket_issue,
    ticket_set_status,
)

from .factories import DeskFactory, QueueFactory


class TicketIssueTests(TestCase):
    def test_numbers_count_up_per_queue_from_one(self):
        a, b = QueueFactory(code="A"), QueueFactory(code="B")
        numbers = [ticket_issue(queue=a).number for _ in range(3)] + [ticket_issue(queue=b).number]
        self.assertEqual(numbers, [1, 2, 3, 1])

    def test_the_display_has_the_letter_and_three_digits(self):
        self.assertEqual(ticket_issue(queue=QueueFactory(code="A")).display, "A001")

    def test_issuing_is_an_event(self):
        ticket = ticket_issue(queue=QueueFactory())
        self.assertTrue(TicketEvent.objects.filter(ticket=ticket, to_status="waiting").exists())

    def test_a_sensitive_service_makes_a_sensitive_ticket(self):
        ticket = ticket_issue(queue=QueueFactory(), service=ServiceFactory(sensitive=True))
        self.assertTrue(ticket.sensitive)


class CallNextTests(TestCase):
    def setUp(self):
        self.queue = QueueFactory()
        self.clerk = UserFactory()
        self.counter = DeskFactory(service_point=self.queue.service_point)
        self.session = desk_session_start(desk=self.counter, user=self.clerk, queues=[self.queue])

    def test_appointments_then_priority_needs_then_first_come(self):
        first = ticket_issue(queue=self.queue)
        need = ticket_issue(queue=self.queue, priority=TicketPriority.PRIORITY_NEED)
        booked = ticket_issue(queue=self.queue, priority=TicketPriority.APPOINTMENT)
        called = [ticket_call_next(session=self.session) for _ in range(3)]
        self.assertEqual(called, [booked, need, first])
        self.assertIsNone(ticket_call_next(session=self.session))

    def test_sensitive_errands_are_only_called_to_a_private_room(self):
        ticket = ticket_issue(queue=self.queue, service=ServiceFactory(sensitive=True))
        self.assertIsNone(ticket_call_next(session=self.session))
        room = DeskFactory(service_point=self.queue.service_point, kind=DeskKind.PRIVATE_ROOM)
        other = desk_session_start(desk=room, user=UserFactory(), queues=[self.queue])
        self.assertEqual(ticket_call_next(session=other), ticket)

    def test_a_called_ticket_is_not_called_again(self):
        ticket_issue(queue=self.queue)
        ticket_call_next(session=self.session)
        self.assertIsNone(ticket_call_next(session=self.session))

    def test_the_lifecycle_refuses_going_back_from_served(self):
        ticket = ticket_issue(queue=self.queue)
        ticket_set_status(ticket=ticket, status=TicketStatus.CALLED, desk=self.counter)
        ticket_set_status(ticket=ticket, status=TicketStatus.SERVING)
        ticket_set_status(ticket=ticket, status=TicketStatus.SERVED)
        with self.assertRaises(InvalidTransition):
            ticket_set_status(ticket=ticket, status=TicketStatus.WAITING)
        self.assertEqual(
            list(ticket.events.values_list("to_status", flat=True)),
            ["waiting", "called", "serving", "served"],
        )
