import datetime as dt

from django.test import TestCase
from django.utils import timezone

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.booking import SlotFull, appointment_book, appointment_set_status
from indgang.visits.lifecycle import AppointmentStatus, InvalidTransition


class AppointmentBookTests(TestCase):
    def setUp(self):
        self.service = ServiceFactory(appointment_minutes=20)
        self.point = ServicePointFactory()
        self.start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)

    def book(self, **extra):
        values = dict(
            service=self.service,
            service_point=self.point,
            start=self.start,
            capacity=2,
            name="Karen Jensen",
            email="karen@example.dk",
        )
        return appointment_book(**(values | extra))

    def test_it_books_seats_up_to_the_capacity_then_refuses(self):
        first, second = self.book(), self.book()
        self.assertEqual({first.seat, second.seat}, {1, 2})
        with self.assertRaises(SlotFull):
            self.book()

    def test_the_end_follows_the_services_length(self):
        self.assertEqual(self.book().end - self.start, dt.timedelta(minutes=20))

    def test_a_cancelled_booking_frees_its_seat(self):
        first = self.book(capacity=1)
        appointment_set_status(appointment=first, status=AppointmentStatus.CANCELLED)
        self.assertEqual(self.book(capacity=1).seat, 1)

    def test_the_reference_is_a_t_reference(self):
        self.assertRegex(self.book().reference, r"^T-\w{4}-\w{4}$")

    def test_a_done_appointment_cannot_be_cancelled(self):
        booking = self.book()
        appointment_set_status(appointment=booking, status=AppointmentStatus.CHECKED_IN)
        appointment_set_status(appointment=booking, status=AppointmentStatus.DONE)
        with self.assertRaises(InvalidTransition):
            appointment_set_status(appointment=booking, status=AppointmentStatus.CANCELLED)
