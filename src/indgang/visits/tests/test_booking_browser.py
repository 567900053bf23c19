"""The booking pages in a real browser with axe-core: choose, contact form with errors,
confirmation, change, manage and cancelled pages: 0 violations; the booking works without
JavaScript. Reuses the browser and axe helpers of core's browser tests (`--tag browser`)."""

from __future__ import annotations

import os

from django.test import override_settings

from indgang.core.tests import test_browser_accessibility as browser
from indgang.core.tests.browser import BrowserTestCase
from indgang.visits.models import Appointment

from .booking_setup import bookable


@override_settings(SMS_BACKEND="file", SMS_FILE_PATH=os.devnull)
class BookingPagesInTheBrowserTests(BrowserTestCase):
    def open(self, path: str, *, javascript: bool = True, width: int = 1280):
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}
        )
        self.addCleanup(context.close)
        page = context.new_page()
        response = page.goto(self.live_server_url + path)
        return page, response

    def axe_on(self, page, label: str) -> list[str]:
        violations = browser.axe_run(page)
        if violations:
            width = page.viewport_size["width"]
            return [browser.format_violations(f"{label} at {width}px", violations)]
        return []

    def test_booking_works_without_javascript(self):
        bookable(slug="pas", point_slug="raadhuset")
        page, _ = self.open("/en/tidsbestilling/", javascript=False)
        page.locator("main button[type=submit]").click()
        page.locator(".booking-days a").first.click()
        page.locator(".booking-times a").first.click()
        page.locator("#id_name").fill("Karen Jensen")
        page.locator("#id_phone").fill("20 30 40 50")
        page.locator("main button.button-primary").click()
        page.wait_for_url("**/bekraeftelse/")
        reference = page.locator(".receipt-reference").inner_text()
        self.assertEqual(Appointment.objects.get().reference, reference)
        page.get_by_role("button", name="Cancel the appointment").click()
        page.wait_for_url("**?aflyst=1")
        self.assertEqual(Appointment.objects.get().status, "cancelled")

    def test_every_booking_page_has_no_axe_violations(self):
        bookable(slug="pas", point_slug="raadhuset", desks=2)
        bookable(slug="koerekort", point_slug="biblioteket", desks=1)
        failures = []
        for prefix in ["", "/en"]:
            for width in [1280, 375]:
                page, _ = self.open(f"{prefix}/tidsbestilling/", width=width)
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/ (service)")
                page.locator("label[for=id_ydelse_1]").click()
                page.locator("main button[type=submit]").click()
                page.wait_for_selector(".booking-days")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/ (day)")
                page.locator(".booking-days a").first.click()
                page.wait_for_selector(".booking-times")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/ (time)")
                page.locator(".booking-times a").first.click()
                page.wait_for_selector("#id_name")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/…/ (contact)")
                page.locator("#id_email").fill("ikke-en-adresse")
                page.locator("#id_phone").fill("123")
                page.locator("main button.button-primary").click()
                page.wait_for_selector(".alert-error")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/…/ (errors)")
                page.locator("#id_name").fill("Karen Jensen")
                page.locator("#id_email").fill("karen@example.dk")
                page.locator("#id_phone").fill("")
                page.locator("label[for=id_needs_2]").click()
                page.locator("main button.button-primary").click()
                page.wait_for_url("**/bekraeftelse/")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/min/…/bekraeftelse/")
                page.locator("main a[href$='/flyt/']").click()
                page.wait_for_url("**/flyt/")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/min/…/flyt/")
                page.locator("main button.button-primary").click()
                page.wait_for_url("**/bekraeftelse/")
                page.goto(page.url.replace("bekraeftelse/", ""))
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/min/… (manage)")
                page.locator("form[action$='/aflys/'] button").click()
                page.wait_for_url("**?aflyst=1")
                failures += self.axe_on(page, f"{prefix}/tidsbestilling/min/… (cancelled)")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))
