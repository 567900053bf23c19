import datetime as dt
import json
import os
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.models import OutboundEmail
from indgang.visits.booking_api import AppointmentRateThrottle
from indgang.visits.models import Appointment
from indgang.visits.slots import free_slots_for

from .booking_setup import bookable

SLOTS = "/api/v1/appointments/slots"
CREATE = "/api/v1/appointments/"


def next_weekday(days_ahead=3) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() >= 5 or (day.month, day.day) in {(12, 24), (12, 25), (12, 26), (1, 1)}:
        day += dt.timedelta(days=1)
    return day


@override_settings(SMS_BACKEND="file", SMS_FILE_PATH=os.devnull)
class AppointmentApiTests(TestCase):
    def setUp(self):
        cache.clear()
        self.service, self.point = bookable(slug="pas", point_slug="raadhuset", desks=1)
        self.day = next_weekday()
        # Easter and other holidays: find the next day with slots.
        while not free_slots_for(service=self.service, service_point=self.point, day=self.day):
            self.day = next_weekday((self.day - timezone.localdate()).days + 1)

    def slots(self, **params):
        query = {"service": "pas", "service_point": "raadhuset", "date": self.day.isoformat()}
        return self.client.get(SLOTS, query | params)

    def post(self, remote="127.0.0.1", **fields):
        body = {
            "service": "pas",
            "service_point": "raadhuset",
            "start": self.slots().json()[0]["start"],
            "name": "Karen Jensen",
            "email": "karen@example.dk",
        } | fields
        return self.client.post(
            CREATE, json.dumps(body), content_type="application/json", REMOTE_ADDR=remote
        )

    def test_slots_lists_free_times_with_offsets(self):
        response = self.slots()
        self.assertEqual(response.status_code, 200)
        first = response.json()[0]
        self.assertEqual(set(first), {"start", "end", "capacity_left"})
        self.assertEqual(first["capacity_left"], 1)
        start = dt.datetime.fromisoformat(first["start"])
        self.assertIsNotNone(start.utcoffset())
        self.assertEqual(timezone.localtime(start).hour, 9)

    def test_slots_bad_input_is_400(self):
        for params in [
            {"service": "findes-ikke"},
            {"service_point": "findes-ikke"},
            {"date": "2026-02-30"},
            {"date": "i morgen"},
            {"date": ""},
        ]:
            with self.subTest(params=params):
                self.assertEqual(self.slots(**params).status_code, 400)

    def test_book_returns_201_with_reference(self):
        response = self.post(needs=["interpreter", "step_free"], note="Arabisk tolk")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertRegex(body["reference"], r"^T-\w{4}-\w{4}$")
        self.assertIn("/tidsbestilling/min/", body["manage_url"])
        appointment = Appointment.objects.get(reference=body["reference"])
        self.assertEqual(appointment.needs, ["interpreter", "step_free"])
        self.assertEqual(dt.datetime.fromisoformat(body["start"]), appointment.start)
        self.assertTrue(OutboundEmail.objects.filter(to="karen@example.dk").exists())

    def test_a_full_slot_is_409_with_alternatives(self):
        start = self.slots().json()[0]["start"]
        self.assertEqual(self.post(start=start).status_code, 201)
        response = self.post(start=start)
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertIn("detail", body)
        self.assertTrue(body["alternatives"])
        self.assertNotIn(start, [a["start"] for a in body["alternatives"]])

    def test_bad_input_is_400_with_field_errors(self):
        start = self.slots().json()[0]["start"]
        cases = {
            "start": [
                {"start": "i morgen kl 9"},
                {"start": start[:19]},  # no offset
                {"start": (dt.datetime.fromisoformat(start) + dt.timedelta(minutes=7)).isoformat()},
                {"start": (timezone.now() + dt.timedelta(days=200)).isoformat()},
                {"start": timezone.now().isoformat()},
            ],
            "email": [{"email": "", "phone": ""}, {"email": "ikke-en-adresse"}],
            "phone": [{"phone": "123"}],
            "needs": [{"needs": ["massage"]}, {"needs": "interpreter"}],
            "service": [{"service": "findes-ikke"}],
            "service_point": [{"service_point": "findes-ikke"}],
            "name": [{"name": ""}],
        }
        for field, variants in cases.items():
            for fields in variants:
                with self.subTest(fields=fields):
                    response = self.post(**fields)
                    self.assertEqual(response.status_code, 400, response.content)
                    self.assertIn(field, response.json())
        self.assertFalse(Appointment.objects.exists())

    def test_garbage_bodies_are_never_500(self):
        for body in ["", "[]", "null", "{", '{"service": 1}', '"x"']:
            with self.subTest(body=body):
                response = self.client.post(CREATE, body, content_type="application/json")
                self.assertIn(response.status_code, {400, 415})
        response = self.client.post(CREATE, "a=b", content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 415)

    def test_the_phone_number_is_normalised_and_enough_alone(self):
        response = self.post(email="", phone="20 30 40 50")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Appointment.objects.get().phone, "+4520304050")

    def test_booking_is_throttled_per_client(self):
        with mock.patch.object(AppointmentRateThrottle, "get_rate", return_value="2/minute"):
            statuses = [self.post(name="").status_code for _ in range(3)]
            other = self.post(name="", remote="10.0.0.9").status_code
        self.assertEqual(statuses, [400, 400, 429])
        self.assertEqual(other, 400)

    def test_the_rate_is_the_appointment_rate_setting(self):
        from django.conf import settings

        rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        self.assertEqual(rates["appointments"], settings.APPOINTMENT_RATE)

    def test_the_schema_has_the_appointment_endpoints(self):
        response = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
        text = response.content.decode()
        self.assertIn("/api/v1/appointments/slots", text)
        self.assertIn("appointment_create", text)
        mail.outbox.clear()
