"""The staff pages in a real browser: axe-core finds no violations, and registration works
without JavaScript.

Same setup as the citizen pages' test (core/tests/test_browser_accessibility.py): headless Debian
Chromium from /usr/bin/chromium through Playwright. The browser gets a logged-in session cookie
made with the test client. Run with `indgang test --tag browser`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.accounts.services import staff_groups_sync
from indgang.catalogue.tests.factories import AuthorityFactory, DepartmentFactory, ServiceFactory
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.core.tests.test_browser_accessibility import AXE_TAGS
from indgang.inquiries.access_log import AccessAction, access_log_write
from indgang.inquiries.lifecycle import Channel, Status
from indgang.inquiries.models import Inquiry, OutboundEmail
from indgang.inquiries.services import (
    inquiry_assign,
    inquiry_note_add,
    inquiry_reply,
    inquiry_submit,
)
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory


class StaffPagesInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        forget_index()
        self.addCleanup(forget_index)
        groups = staff_groups_sync()
        User = get_user_model()

        def staff(username, group, first, last):
            user = User.objects.create_user(
                username, first_name=first, last_name=last, is_staff=True
            )
            user.groups.add(groups[group])
            return user

        self.clerk = staff("clerk", "Borgerservicemedarbejder", "Bo", "Borgerservice")
        self.specialist = staff("specialist", "Fagmedarbejder", "Frida", "Fagmedarbejder")
        self.manager = staff("manager", "Leder", "Lars", "Leder")
        department = DepartmentFactory(slug="ydelser", name="Ydelseskontoret")
        team = TeamFactory(slug="ydelser", name="Ydelseskontoret", department=department)
        team.members.add(self.specialist)
        front = TeamFactory(slug="borgerservice", name="Borgerservice", is_front_office=True)
        front.members.add(self.clerk)
        service = ServiceFactory(
            slug="enkeltudgifter", title="Hjælp til enkeltudgifter", department=department
        )
        ServiceFactory(
            slug="boligstoette",
            title="Boligstøtte",
            department=None,
            authority=AuthorityFactory(slug="udbetaling-danmark", name="Udbetaling Danmark"),
        )
        self.inquiry = inquiry_submit(
            channel=Channel.WEB,
            subject="Tandlægeregning",
            description="Jeg kan ikke betale min tandlægeregning. CPR 010203-1234.",
            service=service,
            name="Karen Jensen",
            email="karen@example.dk",
            cpr="0102031234",
            received_at=timezone.now() - timezone.timedelta(days=30),
            suggest_service=False,
        )
        OutboundEmail.objects.filter(inquiry=self.inquiry).update(
            attempts=5, failed_at=timezone.now(), last_error="550 mailbox unavailable"
        )
        inquiry_assign(inquiry=self.inquiry, assignee=self.specialist, by=self.specialist)
        inquiry_note_add(inquiry=self.inquiry, body="Ring til borgeren.", by=self.specialist)
        inquiry_reply(
            inquiry=self.inquiry,
            body="Send os regningen.",
            by=self.specialist,
            status=Status.AWAITING_CITIZEN,
        )
        for n in range(3):
            inquiry_submit(
                channel=Channel.PHONE,
                description=f"Opkald nummer {n}",
                service=service,
                suggest_service=False,
                send_receipt=False,
            )
        access_log_write(user=self.specialist, inquiry=self.inquiry, action=AccessAction.VIEW)

    def pages(self):
        detail = f"/personale/henvendelser/{self.inquiry.reference}/"
        return [
            (self.specialist, "/personale/henvendelser/"),
            (self.specialist, "/personale/henvendelser/?status=all&q=opkald"),
            (self.specialist, detail),
            (self.specialist, "/en" + detail),
            (self.clerk, detail),  # existence only
            (self.clerk, "/personale/henvendelser/ny/"),
            (self.clerk, "/en/personale/henvendelser/ny/"),
            (self.manager, "/personale/adgangslog/"),
        ]

    def test_the_staff_pages_have_no_axe_violations(self):
        failures = []
        checked = 0
        for width in (1280, 375):
            for user, path in self.pages():
                with self.subTest(user=user.username, path=path, width=width):
                    page, response = self.open_as(user, path, width=width)
                    self.assertEqual(response.status, 200, path)
                    failures += self.axe(page, f"{path} as {user.username} at {width}px")
                    checked += 1
        print(f"\naxe-core ({', '.join(AXE_TAGS)}): {checked} staff page views checked.")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_form_with_errors_has_no_axe_violations(self):
        page, _ = self.open_as(self.clerk, "/personale/henvendelser/ny/")
        page.get_by_role("button", name="Registrér", exact=True).click()
        page.wait_for_load_state()
        self.assertIn("form-error", page.content())
        failures = self.axe(page, "registration with errors")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_clerk_registers_a_call_without_javascript_using_only_the_keyboard(self):
        page, _ = self.open_as(self.clerk, "/en/personale/henvendelser/ny/", javascript=False)
        page.get_by_label("Phone", exact=True).check()
        page.get_by_label("Find the service").fill("boligstøtte")
        page.get_by_role("button", name="Find").click()
        page.wait_for_load_state()
        self.assertEqual(
            page.locator("#id_service").evaluate("s => s.selectedOptions[0].text"),
            "Boligstøtte",
        )
        page.get_by_label("Short note").fill("Spurgte til boligstøtte.")
        page.get_by_label("No, pass it on").check()
        page.get_by_role(
            "group", name="Could the citizen have done this by self-service?"
        ).get_by_label("No").check()
        page.get_by_label("If not: why?").select_option("needs_guidance")
        page.get_by_label("Short note").focus()
        page.keyboard.press("Tab")  # keyboard reachable: the form moves on from the note
        page.get_by_role("button", name="Register", exact=True).press("Enter")
        page.wait_for_load_state()
        inquiry = Inquiry.objects.get(registered_by=self.clerk)
        self.assertIn(inquiry.reference, page.content())
        self.assertEqual(inquiry.service.slug, "boligstoette")
        self.assertEqual(inquiry.team.slug, "borgerservice")
