"""The kiosk, taking a number on the web, the citizen's ticket page and the display screen in a
real browser: axe-core finds no violations, the kiosk works without JavaScript, and the display
picks up a call made after it opened, by itself, and announces it in Danish. How fast it does so
(the 2-second target) is measured by bench/visits.py, never asserted here: tests do not fail on
timing.

Reuses the Chromium and axe set-up of core/tests/test_browser_accessibility.py.
"""

from __future__ import annotations

from django.core import signing
from django.utils import timezone

from indgang.core.tests.browser import BrowserTestCase
from indgang.core.tests.test_browser_accessibility import axe_run, format_violations
from indgang.inquiries.references import reference_generate
from indgang.places.models import ServiceOffering
from indgang.visits.booking import REFERENCE_PREFIX
from indgang.visits.desk_services import appointment_check_in
from indgang.visits.kiosk_views import KIOSK_SALT
from indgang.visits.lifecycle import TicketPriority
from indgang.visits.models import Appointment, Ticket
from indgang.visits.services import ticket_call_next, ticket_issue

from .desk_personas import appointment_make
from .queue_fixtures import desk_serving, point_with_queues

# Records what the screen would say, so the test can check the announcement.
SPEECH_SPY = """
window.__spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = function (u) { window.__spoken.push([u.text, u.lang]); };
}
"""


class VisitsInTheBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.point, self.a, self.b, _ = point_with_queues()

    def open(self, path: str, *, javascript: bool = True, width: int = 1280, init: str = ""):
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}
        )
        self.addCleanup(context.close)
        page = context.new_page()
        if init:
            page.add_init_script(init)
        response = page.goto(self.live_server_url + path)
        return page, response

    def axe(self, path: str, *, width: int) -> list[str]:
        page, response = self.open(path, width=width)
        self.assertEqual(response.status, 200, path)
        return self.axe_on(page, path)

    def axe_on(self, page, label: str) -> list[str]:
        violations = axe_run(page)
        if violations:
            width = page.viewport_size["width"]
            return [format_violations(f"{label} at {width}px", violations)]
        return []

    def appointment_now(self):
        """Bookings are taken for passports at Rådhuset; an appointment starting now."""
        passport = self.a.services.get()
        ServiceOffering.objects.get_or_create(
            service_point=self.point, service=passport, defaults={"by_appointment": True}
        )
        appointment = appointment_make(service=passport, point=self.point, start=timezone.now())
        Appointment.objects.filter(pk=appointment.pk).update(
            reference=reference_generate(REFERENCE_PREFIX)
        )
        appointment.refresh_from_db()
        return appointment

    def test_axe_finds_no_violations(self):
        waiting = ticket_issue(queue=self.a)
        called = ticket_issue(queue=self.a)
        ticket_issue(queue=self.b)
        session = desk_serving(self.a)
        ticket_call_next(session=session)
        shown = signing.dumps(called.pk, salt=KIOSK_SALT)
        paths = [
            "/betjeningssteder/raadhuset/kiosk/",
            f"/betjeningssteder/raadhuset/kiosk/nummer/{shown}/",
            "/betjeningssteder/raadhuset/koe/",
            f"/koe/{waiting.token}/",
            f"/koe/{called.token}/",
            "/betjeningssteder/raadhuset/skaerm/",
        ]
        failures = []
        for path in paths + ["/en" + p for p in paths]:
            for width in (1280, 390):
                failures += self.axe(path, width=width)
        self.assertEqual(failures, [], "\n\n".join(failures))

    def test_the_display_shows_and_announces_a_new_call_by_itself(self):
        session = desk_serving(self.a)
        page, _ = self.open("/betjeningssteder/raadhuset/skaerm/", init=SPEECH_SPY)
        page.wait_for_timeout(300)  # the screen has started polling
        ticket_issue(queue=self.a)
        ticket_call_next(session=session)
        page.wait_for_function(
            "() => document.querySelector('[data-current]').textContent.includes('A001')",
            timeout=15_000,
        )
        self.assertIn("Skranke 3", page.text_content("[data-current]"))
        page.wait_for_function("() => window.__spoken.length > 0", timeout=15_000)
        text, lang = page.evaluate("window.__spoken[0]")
        self.assertIn("A 1", text)
        self.assertEqual(lang, "da-DK")

    def test_the_kiosk_issues_a_ticket_without_javascript(self):
        page, _ = self.open("/betjeningssteder/raadhuset/kiosk/", javascript=False)
        page.get_by_role("button", name="Pas", exact=True).click()
        page.wait_for_load_state()
        self.assertIn("A001", page.text_content(".ticket-number"))
        self.assertEqual(Ticket.objects.get().service.slug, "pas")
        self.assertTrue(page.locator(".ticket-qr svg").count())

    def test_the_check_in_pages_have_no_axe_violations(self):
        appointment = self.appointment_now()
        checked_in = self.appointment_now()
        appointment_check_in(appointment=checked_in, by_citizen=True, service_point=self.point)
        paths = [
            "/betjeningssteder/raadhuset/",
            "/betjeningssteder/raadhuset/kiosk/",
            "/betjeningssteder/raadhuset/kiosk/tjek-ind/",
            "/betjeningssteder/raadhuset/tjek-ind/",
            "/tidsbestilling/?sted=raadhuset",
            f"/tidsbestilling/min/{appointment.manage_token}/",
            f"/tidsbestilling/min/{checked_in.manage_token}/",
        ]
        failures = []
        for path in paths + ["/en" + p for p in paths]:
            for width in (1280, 390):
                failures += self.axe(path, width=width)
        # The forms showing an error.
        for path in (
            "/betjeningssteder/raadhuset/kiosk/tjek-ind/",
            "/en/betjeningssteder/raadhuset/tjek-ind/",
        ):
            for width in (1280, 390):
                page, _ = self.open(path, width=width)
                page.locator("#id_reference").fill("T-0000-0000")
                page.locator("main button[type=submit]").click()
                page.wait_for_selector(".alert-error")
                failures += self.axe_on(page, f"{path} (error)")
        self.assertEqual(failures, [], "\n\n".join(failures))

    def test_checking_in_at_the_kiosk_works_without_javascript(self):
        appointment = self.appointment_now()
        page, _ = self.open("/en/betjeningssteder/raadhuset/kiosk/", javascript=False)
        page.get_by_role("link", name="I have an appointment – check in").click()
        page.locator("#id_reference").fill(appointment.reference.lower())
        page.get_by_role("button", name="Check in").click()
        page.wait_for_selector(".ticket-number")
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertEqual(page.text_content(".ticket-number").strip(), ticket.display)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)

    def test_checking_in_on_the_own_page_works_without_javascript(self):
        appointment = self.appointment_now()
        page, _ = self.open(f"/en/tidsbestilling/min/{appointment.manage_token}/", javascript=False)
        page.get_by_role("button", name="I am here – check me in").click()
        page.wait_for_url("**/koe/**")
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertIn(ticket.display, page.text_content(".ticket-big-number"))
