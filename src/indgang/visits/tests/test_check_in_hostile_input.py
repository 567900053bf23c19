"""Hostile input to the citizen pages and APIs of visits: checking in (kiosk, web, the citizen's
own booking page), the booking form with its double-submit token, the move page and the JSON
APIs under /api/v1/. Each answer is a clear error (a form error, 400/404/415), never a 500."""

from __future__ import annotations

import datetime as dt
import json
import os

import time_machine
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.places.models import ServiceOffering
from indgang.visits.models import Appointment, Ticket

from .booking_setup import bookable
from .test_booking_views import first_day_with_slots
from .test_check_in import NOW, CheckInSetup

NUL = "x\x00y"
LONG = "x" * 100_000
HUGE = str(10**30)
BAD_REFERENCES = [
    NUL,
    LONG,
    HUGE,
    "-1",
    "nan",
    "T-\x00\x00\x00\x00-AAAA",
    "T-7K3Q-9XJ2" * 10,
    "t-7k3q-9xj2\u200b",
    "'; DROP TABLE visits_appointment; --",
    "",
]
BAD_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "abc", NUL, LONG, HUGE, "-1"]
BAD_SLOT_KEYS = [
    "00010101T000000Z",
    "99991231T235959Z",
    "20260230T090000Z",
    "abc",
    HUGE,
    "x" * 5000,
    "-1",
]
BAD_STARTS = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+00:00",
    "2026-02-30T09:00:00+01:00",
    "2026-03-30T09:00:00",
    "abc",
    NUL,
    HUGE,
    "nan",
    "-1",
]


class CheckInHostileInputTests(CheckInSetup):
    def test_the_kiosk_and_web_forms_refuse_hostile_references(self):
        for url in (
            "/en/betjeningssteder/raadhuset/kiosk/tjek-ind/",
            "/en/betjeningssteder/raadhuset/tjek-ind/",
        ):
            for value in BAD_REFERENCES:
                with self.subTest(url=url, value=value[:16]):
                    cache.clear()  # wrong guesses are counted; the limit is tested elsewhere
                    response = self.client.post(url, {"reference": value})
                    self.assertEqual(response.status_code, 400)
                    self.assertIn("reference", response.context["form"].errors)
        self.assertFalse(Ticket.objects.exists())

    def test_repeated_and_missing_fields_are_form_errors(self):
        url = "/en/betjeningssteder/raadhuset/tjek-ind/"
        appointment = self.booked()
        response = self.client.post(url, {"reference": [NUL, appointment.reference]})
        self.assertLess(response.status_code, 500)
        self.assertEqual(self.client.post(url, {}).status_code, 400)
        self.assertEqual(self.client.post(url, {"other": "x"}).status_code, 400)

    def test_a_non_form_body_is_a_form_error(self):
        url = "/en/betjeningssteder/raadhuset/tjek-ind/"
        for body, content_type in (
            (b"\xff\xfe\x00reference=T", "application/x-www-form-urlencoded"),
            (b'{"reference": "T-7K3Q-9XJ2"}', "application/json"),
            (b"--x\r\n\r\n", "multipart/form-data; boundary=x"),
        ):
            with self.subTest(content_type=content_type):
                response = self.client.post(url, body, content_type=content_type)
                self.assertLess(response.status_code, 500)

    def test_unknown_service_points_are_404(self):
        for slug in ("ukendt", "a" * 300, HUGE):
            for suffix in ("kiosk/tjek-ind/", "tjek-ind/"):
                with self.subTest(slug=slug[:12], suffix=suffix):
                    url = f"/en/betjeningssteder/{slug}/{suffix}"
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {"reference": "x"}).status_code, 404)

    def test_the_own_page_check_in_answers_unknown_tokens_with_404(self):
        for token in ("ukendt", "a" * 43, "a" * 44, "a" * 5000, HUGE, "-1"):
            with self.subTest(token=token[:12]):
                url = f"/en/tidsbestilling/min/{token}/tjek-ind/"
                self.assertEqual(self.client.post(url).status_code, 404)

    def test_the_own_page_check_in_ignores_hostile_fields(self):
        appointment = self.booked()
        url = f"/en/tidsbestilling/min/{appointment.manage_token}/tjek-ind/"
        response = self.client.post(url, {"reference": NUL, "service_point": HUGE, "pk": "-1"})
        self.assertEqual(response.status_code, 302)
        ticket = Ticket.objects.get()
        self.assertEqual(ticket.queue.service_point, self.point)


@override_settings(SMS_BACKEND="file", SMS_FILE_PATH=os.devnull)
class BookingHostileInputTests(TestCase):
    def setUp(self):
        cache.clear()  # the API throttles per client
        self.service, self.point = bookable(slug="pas", point_slug="raadhuset", desks=2)
        self.day = first_day_with_slots(self.service, self.point)
        self.slot_key = self.slot_start().strftime("%Y%m%dT%H%M%SZ")
        self.url = f"/en/tidsbestilling/pas/raadhuset/{self.slot_key}/"

    def slot_start(self) -> dt.datetime:
        from indgang.visits.slots import free_slots_for

        slots = free_slots_for(service=self.service, service_point=self.point, day=self.day)
        return slots[0].start

    def form_token(self) -> str:
        return self.client.get(self.url).context["form"]["token"].value()

    def test_the_booking_form_refuses_hostile_fields(self):
        token = self.form_token()
        good = {"name": "Karen Jensen", "email": "karen@example.dk", "token": token}
        cases = [("name", v) for v in (NUL, LONG, "   ")]
        cases += [("email", v) for v in (NUL, LONG, "a@b@c", HUGE)]
        cases += [("phone", v) for v in (NUL, LONG, HUGE, "-1", "nan")]
        cases += [("note", v) for v in (NUL, LONG)]
        cases += [("needs", v) for v in (NUL, "everything", HUGE)]
        cases += [("token", v) for v in (NUL, LONG, HUGE, "-1", token + "x", token[:-1])]
        for field, value in cases:
            with self.subTest(field=field, value=value[:12]):
                response = self.client.post(self.url, good | {field: value})
                self.assertEqual(response.status_code, 400)
                errors = response.context["form"].errors
                # A bad token is the whole form's problem: "open for too long, press again".
                self.assertIn("__all__" if field == "token" else field, errors)
        self.assertFalse(Appointment.objects.exists())

    def test_repeated_tokens_book_once(self):
        token = self.form_token()
        data = {"name": "Karen Jensen", "email": "karen@example.dk", "token": [token, token]}
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(Appointment.objects.count(), 1)

    def test_hostile_slot_keys_and_slugs_are_404(self):
        for key in BAD_SLOT_KEYS:
            with self.subTest(key=key[:16]):
                url = f"/en/tidsbestilling/pas/raadhuset/{key}/"
                self.assertLess(self.client.get(url).status_code, 500)
                self.assertLess(self.client.post(url, {"name": "x"}).status_code, 500)
        for service, point in (("ukendt", "raadhuset"), ("pas", "ukendt"), (HUGE, HUGE)):
            with self.subTest(service=service[:12], point=point[:12]):
                url = f"/en/tidsbestilling/{service}/{point}/{self.slot_key}/"
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_choose_page_takes_any_query(self):
        for name in ("dato", "ydelse", "sted"):
            for value in [*BAD_DATES, LONG]:
                with self.subTest(name=name, value=value[:12]):
                    response = self.client.get("/en/tidsbestilling/", {name: value})
                    self.assertLess(response.status_code, 500)

    def test_the_move_page_refuses_hostile_times(self):
        token = self.form_token()
        self.client.post(self.url, {"name": "Karen", "email": "karen@example.dk", "token": token})
        appointment = Appointment.objects.get()
        url = f"/en/tidsbestilling/min/{appointment.manage_token}/flyt/"
        for value in BAD_SLOT_KEYS:
            with self.subTest(start=value[:16]):
                response = self.client.post(url, {"start": value})
                self.assertEqual(response.status_code, 400)
        for value in BAD_DATES:
            with self.subTest(dato=value[:16]):
                self.assertEqual(self.client.get(url, {"dato": value}).status_code, 200)
        appointment.refresh_from_db()
        self.assertEqual(appointment.start, self.slot_start())

    def test_the_slots_api_refuses_hostile_queries(self):
        good = {"service": "pas", "service_point": "raadhuset", "date": self.day.isoformat()}
        for value in ("0001-01-01", "9999-12-31", "2000-01-01"):
            with self.subTest(date=value):
                cache.clear()
                response = self.client.get("/api/v1/appointments/slots", good | {"date": value})
                # Outside the booking window there are no free times (the documented answer).
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json(), [])
        cases = [("date", v) for v in BAD_DATES if not v.startswith(("0001", "9999"))]
        cases += [(f, v) for f in ("service", "service_point") for v in (NUL, LONG, HUGE, "ukendt")]
        for field, value in cases:
            with self.subTest(field=field, value=value[:12]):
                cache.clear()
                response = self.client.get("/api/v1/appointments/slots", good | {field: value})
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())

    def post_json(self, url: str, body, **extra):
        cache.clear()
        payload = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.client.post(url, payload, content_type="application/json", **extra)

    def test_the_appointment_api_refuses_hostile_bodies(self):
        good = {
            "service": "pas",
            "service_point": "raadhuset",
            "start": timezone.localtime(self.slot_start()).isoformat(),
            "name": "Karen Jensen",
            "email": "karen@example.dk",
        }
        cases = [("start", v) for v in BAD_STARTS]
        cases += [("name", v) for v in (NUL, LONG, None, [], {})]
        cases += [("email", v) for v in (NUL, LONG, 10**30)]
        cases += [("phone", v) for v in (NUL, LONG, HUGE, -1)]
        cases += [("needs", v) for v in (NUL, [NUL], ["x"] * 1000, {"a": 1}, 10**30)]
        cases += [(f, v) for f in ("service", "service_point") for v in (NUL, LONG, HUGE, 1.5)]
        for field, value in cases:
            with self.subTest(field=field, value=str(value)[:16]):
                response = self.post_json("/api/v1/appointments/", good | {field: value})
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        self.assertFalse(Appointment.objects.exists())

    def test_the_appointment_api_refuses_bodies_that_are_not_a_json_object(self):
        for body in (b"\xff\xfe\x00", b"[]", b"null", b"1e999", b'"x"', b"{" * 10_000, b"{]"):
            with self.subTest(body=body[:12]):
                response = self.post_json("/api/v1/appointments/", body)
                self.assertIn(response.status_code, (400, 415))
        cache.clear()
        response = self.client.post("/api/v1/appointments/", "name=x", content_type="text/plain")
        self.assertEqual(response.status_code, 415)

    def test_the_ticket_api_refuses_hostile_bodies(self):
        ServiceOffering.objects.filter(service_point=self.point).update(walk_in=True)
        url = "/api/v1/service-points/raadhuset/tickets/"
        for queue in (NUL, LONG, HUGE, -1, None, [], {}, "Z"):
            with self.subTest(queue=str(queue)[:12]):
                response = self.post_json(url, {"queue": queue})
                self.assertIn(response.status_code, (400, 409))
        for body in (b"\xff", b"[]", b"{" * 10_000):
            with self.subTest(body=body[:12]):
                self.assertEqual(self.post_json(url, body).status_code, 400)
        for slug in ("ukendt", HUGE):
            with self.subTest(slug=slug[:12]):
                url = f"/api/v1/service-points/{slug}/tickets/"
                self.assertEqual(self.post_json(url, {"queue": "A"}).status_code, 404)
        self.assertFalse(Ticket.objects.exists())

    def test_far_away_dates_on_the_citizen_pages_are_not_server_errors(self):
        # The clock itself far from today: the booking pages still answer.
        with time_machine.travel(NOW, tick=False):
            response = self.client.get("/en/tidsbestilling/", {"dato": "9999-12-31"})
        self.assertLess(response.status_code, 500)
