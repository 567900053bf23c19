from django.test import TestCase

from indgang.inquiries.models import RoutingRule

from .staff_personas import StaffInquiryPersonasMixin


class StaffAdminTests(StaffInquiryPersonasMixin, TestCase):
    def test_inquiries_messages_and_emails_are_not_in_the_admin_not_even_for_a_superuser(self):
        self.client.force_login(self.root)
        for model in ("inquiry", "inquirymessage", "outboundemail", "attachment"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/inquiries/{model}/").status_code, 404)
        index = self.client.get("/admin/")
        self.assertNotContains(index, "karen@example.dk")

    def test_an_administrator_edits_teams_and_routing_rules_in_order(self):
        self.client.force_login(self.administrator)
        self.assertEqual(self.client.get("/admin/inquiries/team/").status_code, 200)
        self.assertEqual(self.client.get("/admin/inquiries/team/add/").status_code, 200)
        response = self.client.post(
            "/admin/inquiries/routingrule/add/",
            {"position": 5, "active": "on", "team": self.other_team.pk, "words": "job, ledig"},
        )
        self.assertEqual(response.status_code, 302)
        RoutingRule.objects.create(position=1, team=self.team, words="tandlæge")
        response = self.client.get("/admin/inquiries/routingrule/")
        self.assertEqual([r.position for r in response.context["cl"].result_list], [1, 5])

    def test_a_rule_without_a_condition_is_refused(self):
        self.client.force_login(self.administrator)
        response = self.client.post(
            "/admin/inquiries/routingrule/add/", {"position": 1, "team": self.team.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RoutingRule.objects.exists())

    def test_the_deletion_log_is_read_only(self):
        self.client.force_login(self.root)
        self.assertEqual(self.client.get("/admin/inquiries/deletionlogentry/").status_code, 200)
        self.assertEqual(self.client.get("/admin/inquiries/deletionlogentry/add/").status_code, 403)

    def test_clerks_and_specialists_only_look_at_teams(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get("/admin/inquiries/team/").status_code, 200)
        self.assertEqual(self.client.get("/admin/inquiries/team/add/").status_code, 403)
        self.assertEqual(self.client.get("/admin/inquiries/routingrule/").status_code, 403)
