"""The demo's teams, routing rules and inquiries (indgang.demo.loading.inquiries)."""

import datetime as dt
import tempfile
from pathlib import Path

from django.test import TestCase

from indgang.demo.services import demo_load
from indgang.demo.tests.fixture import fixture_data, fixture_write, kle_entries_create
from indgang.inquiries.lifecycle import Status
from indgang.inquiries.models import Inquiry, RoutingRule, Team

TODAY = dt.date(2026, 11, 23)


class DemoTeamsTests(TestCase):
    def setUp(self):
        kle_entries_create()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        fixture_write(self.dir, fixture_data())

    def load(self):
        return demo_load(today=TODAY, data_dir=self.dir)

    def test_each_department_gets_a_team_and_borgerservice_is_the_front_office(self):
        self.load()
        team = Team.objects.get(slug="borgerservice")
        self.assertTrue(team.is_front_office)
        self.assertEqual(team.department.slug, "borgerservice")
        self.assertEqual(
            sorted(team.members.values_list("username", flat=True)), ["clerk", "manager"]
        )

    def test_demo_inquiries_are_made_for_the_services_that_exist(self):
        self.load()
        closed = Inquiry.objects.get(subject="Pas til barnebarn")
        self.assertEqual(closed.status, Status.CLOSED)
        self.assertEqual(closed.registered_by.username, "clerk")
        guidance = Inquiry.objects.get(subject="Boligstøtte")
        self.assertEqual(guidance.team.slug, "borgerservice")
        self.assertEqual(guidance.outbound_emails.get().state, "failed")

    def test_a_second_run_changes_nothing(self):
        self.load()
        before = (
            Team.objects.count(),
            Team.history.count(),
            RoutingRule.objects.count(),
            Inquiry.objects.count(),
        )
        self.load()
        after = (
            Team.objects.count(),
            Team.history.count(),
            RoutingRule.objects.count(),
            Inquiry.objects.count(),
        )
        self.assertEqual(after, before)
