import datetime as dt
import os

from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.models import OutboundEmail
from indgang.visits.booking import appointment_book
from indgang.visits.booking_forms import booking_form_token_new
from indgang.visits.lifecycle import AppointmentStatus
from indgang.visits.models import Appointment, AppointmentEvent
from indgang.visits.slots import free_slots_for, slots_for

from .booking_setup import bookable


def first_day_with_slots(service, point) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while not free_slots_for(service=service, service_point=point, day=day):
        day += dt.timedelta(days=1)
    return day


@override_settings(SMS_BACKEND="file", SMS_FILE_PATH=os.devnull)
class BookingPagesTests(TestCase):
    def setUp(self):
        self.service, self.point = bookable(slug="pas", point_slug="raadhuset", desks=1)
        self.day = first_day_with_slots(self.service, self.point)
        self.slots = free_slots_for(service=self.service, service_point=self.point, day=self.day)
        self.slot = self.slots[0]
        self.contact_url = f"/tidsbestilling/pas/raadhuset/{self.slot.key}/"

    def book(self, **fields):
        data = {
            "name": "Karen Jensen",
            "email": "karen@example.dk",
            "phone": "",
            "token": booking_form_token_new(),  # what the page gives each form it shows
        } | fields
        return self.client.post(self.contact_url, data)

    # --- choosing ---

    def test_the_steps_lead_to_the_times(self):
        response = self.client.get("/tidsbestilling/")
        self.assertContains(response, 'value="pas"')
        # One place only: it is chosen for the citizen.
        response = self.client.get("/tidsbestilling/?ydelse=pas")
        self.assertContains(response, f"dato={self.day.isoformat()}")
        response = self.client.get(f"/tidsbestilling/?ydelse=pas&sted=raadhuset&dato={self.day}")
        self.assertContains(response, self.contact_url)
        self.assertContains(response, self.slot.local_start.strftime("%H:%M"))

    def test_the_english_pages_work(self):
        response = self.client.get("/en/tidsbestilling/")
        self.assertContains(response, "Book a time")

    def test_bad_choices_are_explained_not_500(self):
        for query in [
            "?ydelse=findes-ikke",
            "?ydelse=pas&sted=findes-ikke",
            "?ydelse=pas&sted=raadhuset&dato=2026-02-30",
            "?ydelse=pas&sted=raadhuset&dato=1999-01-01",
            "?ydelse=pas&sted=raadhuset&dato=%00",
            "?ydelse=" + "x" * 5000,
        ]:
            with self.subTest(query=query):
                self.assertEqual(self.client.get("/tidsbestilling/" + query).status_code, 200)

    # --- booking ---

    def test_booking_redirects_to_the_confirmation(self):
        response = self.book(needs=["interpreter", "extra_time"], note="Tolk: arabisk")
        appointment = Appointment.objects.get()
        self.assertRedirects(
            response, f"/tidsbestilling/min/{appointment.manage_token}/bekraeftelse/"
        )
        self.assertEqual(appointment.needs, ["interpreter", "extra_time"])
        self.assertEqual(appointment.start, self.slot.start)
        page = self.client.get(response["Location"])
        self.assertContains(page, appointment.reference)
        self.assertContains(page, "Dit gamle pas")
        self.assertContains(page, "kalender.ics")
        self.assertContains(page, f"/tidsbestilling/min/{appointment.manage_token}/aflys/")
        email = OutboundEmail.objects.get(to="karen@example.dk")
        self.assertIn(appointment.reference, email.body)
        self.assertIn("kalender.ics", email.body)

    def test_the_form_shows_errors(self):
        response = self.book(name="", email="ikke-en-adresse", phone="123")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "alert-error", status_code=400)
        self.assertContains(response, 'href="#id_name"', status_code=400)
        response = self.book(email="", phone="")
        self.assertContains(response, "e-mail", status_code=400)
        response = self.book(needs=["massage"])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Appointment.objects.exists())

    def test_a_full_slot_offers_other_times(self):
        self.assertEqual(self.book().status_code, 302)
        response = self.book(email="ole@example.dk")
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, self.slots[1].key, status_code=409)
        self.assertEqual(Appointment.objects.count(), 1)
        self.assertEqual(self.client.get(self.contact_url).status_code, 409)

    def test_a_time_that_is_no_slot_is_not_bookable(self):
        off = self.slot.start + dt.timedelta(minutes=5)
        url = f"/tidsbestilling/pas/raadhuset/{off.strftime('%Y%m%dT%H%M%SZ')}/"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(url, {"name": "K", "email": "k@example.dk"}).status_code, 404
        )
        for bad in ["nonsense", "20269999T999999Z"]:
            self.assertEqual(
                self.client.get(f"/tidsbestilling/pas/raadhuset/{bad}/").status_code, 404
            )
        self.assertEqual(
            self.client.get(f"/tidsbestilling/nej/raadhuset/{self.slot.key}/").status_code, 404
        )

    # --- the citizen's appointment ---

    def booked(self, slot=None):
        slot = slot or self.slot
        return appointment_book(
            service=self.service,
            service_point=self.point,
            start=slot.start,
            capacity=slot.capacity,
            name="Karen",
            email="karen@example.dk",
        )

    def test_manage_page_and_unknown_tokens(self):
        appointment = self.booked()
        self.assertContains(
            self.client.get(f"/tidsbestilling/min/{appointment.manage_token}/"),
            appointment.reference,
        )
        self.assertEqual(self.client.get("/tidsbestilling/min/gaet-et-token/").status_code, 404)
        self.assertEqual(self.client.get("/tidsbestilling/min/" + "x" * 60 + "/").status_code, 404)

    def test_the_ics_download(self):
        appointment = self.booked()
        response = self.client.get(f"/tidsbestilling/min/{appointment.manage_token}/kalender.ics")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn(b"BEGIN:VEVENT\r\n", response.content)

    def test_cancel_is_a_post(self):
        appointment = self.booked()
        url = f"/tidsbestilling/min/{appointment.manage_token}/aflys/"
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        self.assertRedirects(response, f"/tidsbestilling/min/{appointment.manage_token}/?aflyst=1")
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CANCELLED)
        page = self.client.get(response["Location"])
        self.assertContains(page, "aflyst" if "aflyst" in page.content.decode() else "cancelled")
        self.assertNotContains(page, "/aflys/")
        # Cancelling again changes nothing and does not fail.
        self.assertEqual(self.client.post(url).status_code, 302)
        self.assertEqual(
            free_slots_for(service=self.service, service_point=self.point, day=self.day)[0].start,
            self.slot.start,
        )

    def test_change_books_the_new_time_then_cancels_the_old(self):
        appointment = self.booked()
        url = f"/tidsbestilling/min/{appointment.manage_token}/flyt/"
        page = self.client.get(url)
        self.assertContains(page, self.slots[1].key)
        self.assertNotContains(page, f'value="{self.slot.key}"')
        response = self.client.post(url, {"start": self.slots[1].key})
        new = Appointment.objects.exclude(pk=appointment.pk).get()
        self.assertRedirects(response, f"/tidsbestilling/min/{new.manage_token}/bekraeftelse/")
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CANCELLED)
        self.assertEqual(
            (new.start, new.name, new.status), (self.slots[1].start, "Karen", "booked")
        )
        self.assertTrue(
            AppointmentEvent.objects.filter(
                appointment=appointment, note__contains=new.reference
            ).exists()
        )

    def test_change_to_a_full_time_keeps_the_old_one(self):
        appointment = self.booked()
        self.booked(self.slots[1])  # capacity 1: now full
        url = f"/tidsbestilling/min/{appointment.manage_token}/flyt/"
        response = self.client.post(url, {"start": self.slots[1].key})
        self.assertEqual(response.status_code, 409)
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.BOOKED)
        self.assertEqual(Appointment.objects.count(), 2)
        for bad in ["", "nonsense", self.slot.key]:
            self.assertEqual(self.client.post(url, {"start": bad}).status_code, 400)
        off = (self.slot.start + dt.timedelta(minutes=1)).strftime("%Y%m%dT%H%M%SZ")
        self.assertEqual(self.client.post(url, {"start": off}).status_code, 400)
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.BOOKED)

    def test_a_past_or_cancelled_appointment_cannot_be_changed(self):
        appointment = self.booked()
        Appointment.objects.filter(pk=appointment.pk).update(status=AppointmentStatus.CANCELLED)
        url = f"/tidsbestilling/min/{appointment.manage_token}/flyt/"
        self.assertEqual(self.client.get(url).status_code, 302)
        self.assertEqual(self.client.post(url, {"start": self.slots[1].key}).status_code, 302)
        self.assertEqual(Appointment.objects.count(), 1)
        self.assertEqual(
            len(slots_for(service=self.service, service_point=self.point, day=self.day)),
            len(self.slots),
        )
