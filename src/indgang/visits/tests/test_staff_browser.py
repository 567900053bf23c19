"""The desk pages in a real browser: axe-core finds no violations, and a clerk calls, serves and
registers a ticket without JavaScript, using the keyboard. Run with `indgang test --tag browser`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.accounts.services import staff_groups_sync
from indgang.catalogue.tests.factories import ServiceFactory
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.core.tests.test_browser_accessibility import AXE_TAGS
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.lifecycle import DeskKind, TicketStatus
from indgang.visits.models import Ticket
from indgang.visits.services import desk_session_start, ticket_call_next, ticket_issue

from .desk_personas import appointment_make
from .factories import DeskFactory, QueueFactory


class DeskPagesInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        groups = staff_groups_sync()
        User = get_user_model()

        def staff(username, group, first, last):
            user = User.objects.create_user(
                username, first_name=first, last_name=last, is_staff=True
            )
            user.groups.add(groups[group])
            return user

        self.clerk = staff("clerk", "Borgerservicemedarbejder", "Bo", "Borgerservice")
        self.clerk2 = staff("clerk2", "Borgerservicemedarbejder", "Bente", "Borgerservice")
        self.manager = staff("manager", "Leder", "Lars", "Leder")
        self.point = ServicePointFactory(slug="raadhuset", name="Fjordby Rådhus")
        self.passport = ServiceFactory(slug="pas", title="Pas")
        self.moving = ServiceFactory(slug="flytning", title="Flytning")
        self.queue_a = QueueFactory(service_point=self.point, code="A", name="Pas og kørekort")
        self.queue_a.services.set([self.passport])
        self.queue_b = QueueFactory(service_point=self.point, code="B", name="Øvrige")
        self.queue_b.services.set([self.moving])
        self.counter = DeskFactory(service_point=self.point, name="Skranke 1")
        self.counter.queues.set([self.queue_a, self.queue_b])
        room = DeskFactory(service_point=self.point, name="Samtalerum", kind=DeskKind.PRIVATE_ROOM)
        room.queues.set([self.queue_b])
        other = DeskFactory(service_point=self.point, name="Skranke 2")
        other.queues.set([self.queue_b])
        # A day with some history: served, waiting, and appointments before and after now.
        session = desk_session_start(desk=other, user=self.clerk2, queues=[self.queue_b])
        ticket_issue(queue=self.queue_b, service=self.moving)
        ticket_call_next(session=session)
        ticket_issue(queue=self.queue_a, service=self.passport)
        appointment_make(
            service=self.passport,
            point=self.point,
            start=timezone.now() - dt.timedelta(minutes=10),
            needs=["interpreter"],
        )
        appointment_make(service=self.passport, point=self.point, name="Ole Hansen")

    def test_the_desk_pages_have_no_axe_violations(self):
        desk_session_start(desk=self.counter, user=self.clerk, queues=[self.queue_a, self.queue_b])
        pages = [
            (self.clerk, "/personale/skranke/?point=raadhuset"),
            (self.clerk, "/en/personale/skranke/"),
            (self.clerk, "/personale/skranke/betjening/"),
            (self.clerk, "/personale/skranke/dag/?point=raadhuset"),
            (self.clerk2, "/en/personale/skranke/betjening/"),  # a ticket at the desk
            (self.manager, "/en/personale/skranke/dag/"),
        ]
        failures, checked = [], 0
        for width in (1280, 375):
            for user, path in pages:
                with self.subTest(user=user.username, path=path, width=width):
                    page, response = self.open_as(user, path, width=width)
                    self.assertEqual(response.status, 200, path)
                    failures += self.axe(page, f"{path} as {user.username} at {width}px")
                    checked += 1
        print(f"\naxe-core ({', '.join(AXE_TAGS)}): {checked} desk page views checked.")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_clerk_calls_serves_and_registers_without_javascript(self):
        page, _ = self.open_as(self.clerk, "/en/personale/skranke/", javascript=False)
        page.get_by_role("button", name="Sit down at Skranke 1").press("Enter")
        page.wait_for_load_state()
        self.assertIn("You are at Skranke 1", page.content())
        page.get_by_role("button", name="Call next").press("Enter")
        page.wait_for_load_state()
        self.assertIn("A001 is called to your desk.", page.content())
        page.get_by_role("button", name="Start serving").press("Enter")
        page.wait_for_load_state()
        page.get_by_role("button", name="Served", exact=True).press("Enter")  # nothing chosen yet
        page.wait_for_load_state()
        self.assertIn("form-error", page.content())
        page.get_by_label("Errand").select_option(label="Pas")
        page.get_by_label("Yes, resolved").check()
        page.get_by_role(
            "group", name="Could the citizen have done this by self-service?"
        ).get_by_label("No").check()
        page.get_by_label("If not: why?").select_option("needs_guidance")
        page.get_by_role("button", name="Served", exact=True).press("Enter")
        page.wait_for_load_state()
        self.assertIn("A001 is served and registered.", page.content())
        ticket = Ticket.objects.get(queue=self.queue_a)
        self.assertEqual(ticket.status, TicketStatus.SERVED)
        self.assertEqual(ticket.self_service_obstacle, "needs_guidance")

    def test_the_served_form_with_errors_has_no_axe_violations(self):
        session = desk_session_start(desk=self.counter, user=self.clerk, queues=[self.queue_a])
        ticket = ticket_call_next(session=session)
        page, _ = self.open_as(self.clerk, "/en/personale/skranke/betjening/")
        page.get_by_role("button", name="Start serving").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Served", exact=True).click()
        page.wait_for_load_state()
        self.assertIn("form-error", page.content())
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.SERVING)
        failures = self.axe(page, "served with errors")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_clerk_checks_in_an_appointment_from_the_day_view(self):
        page, _ = self.open_as(
            self.clerk, "/en/personale/skranke/dag/?point=raadhuset", javascript=False
        )
        page.get_by_role("button", name="Check in Ole Hansen").press("Enter")
        page.wait_for_load_state()
        self.assertIn("Ole Hansen is checked in with number A002.", page.content())
