import datetime as dt

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.utils import timezone

from indgang.inquiries.access_log import AccessAction, access_log_write
from indgang.inquiries.models import AccessLogEntry

from .staff_personas import StaffInquiryPersonasMixin

URL = "/personale/adgangslog/"


class AccessLogPageTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        access_log_write(user=self.specialist, inquiry=self.inquiry, action=AccessAction.VIEW)
        access_log_write(user=self.specialist, inquiry=self.sensitive, action=AccessAction.DOWNLOAD)
        access_log_write(user=self.clerk, inquiry=self.inquiry, action=AccessAction.LOOKUP)

    def rows(self, response):
        return [
            (e.user.username, e.inquiry_reference, e.action) for e, _ in response.context["rows"]
        ]

    def test_anonymous_visitors_go_to_the_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_only_those_allowed_to_read_it_may(self):
        for user in (self.clerk, self.specialist, self.administrator, self.citizen):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_a_manager_lists_it_per_inquiry_and_per_staff_member(self):
        self.client.force_login(self.manager)
        everything = self.rows(self.client.get(URL))
        self.assertEqual(len(everything), 3)
        per_inquiry = self.rows(self.client.get(URL, {"reference": self.inquiry.reference.lower()}))
        self.assertEqual(
            per_inquiry,
            [
                ("clerk", self.inquiry.reference, AccessAction.LOOKUP),
                ("specialist", self.inquiry.reference, AccessAction.VIEW),
            ],
        )
        per_user = self.rows(self.client.get(URL, {"user": self.specialist.pk}))
        self.assertEqual(
            {r[1] for r in per_user}, {self.inquiry.reference, self.sensitive.reference}
        )
        per_action = self.rows(self.client.get(URL, {"action": AccessAction.DOWNLOAD}))
        self.assertEqual(per_action, [("specialist", self.sensitive.reference, "download")])

    def test_it_filters_by_local_date(self):
        self.client.force_login(self.manager)
        today = timezone.localdate()
        self.assertEqual(len(self.rows(self.client.get(URL, {"date_from": today}))), 3)
        tomorrow = today + dt.timedelta(days=1)
        self.assertEqual(self.rows(self.client.get(URL, {"date_from": tomorrow})), [])

    def test_bad_filters_never_give_an_error_page(self):
        self.client.force_login(self.manager)
        for params in (
            {"reference": "nonsense"},
            {"user": "abc"},
            {"user": "99999"},
            {"action": "delete"},
            {"date_from": "2025-13-45"},
            {"date_to": "yesterday"},
            {"page": "abc"},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(URL, params).status_code, 200)

    def test_nobody_can_change_or_delete_a_row(self):
        entry = AccessLogEntry.objects.first()
        with self.assertRaises(ValueError):
            entry.save()
        with self.assertRaises(ValueError):
            entry.delete()


class AccessLogAdminTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.entry = access_log_write(
            user=self.specialist, inquiry=self.inquiry, action=AccessAction.VIEW
        )
        self.change_url = f"/admin/inquiries/accesslogentry/{self.entry.pk}/change/"

    def test_a_manager_reads_it_in_the_admin_but_cannot_change_or_delete(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get("/admin/inquiries/accesslogentry/").status_code, 200)
        self.assertEqual(self.client.get(self.change_url).status_code, 200)
        response = self.client.post(
            f"/admin/inquiries/accesslogentry/{self.entry.pk}/delete/", {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(AccessLogEntry.objects.filter(pk=self.entry.pk).exists())

    def test_not_even_a_superuser_can_delete_a_row(self):
        self.client.force_login(self.root)
        response = self.client.post(
            f"/admin/inquiries/accesslogentry/{self.entry.pk}/delete/", {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            "/admin/inquiries/accesslogentry/",
            {"action": "delete_selected", "_selected_action": [self.entry.pk], "post": "yes"},
        )
        self.assertTrue(AccessLogEntry.objects.filter(pk=self.entry.pk).exists())

    def test_a_clerk_without_the_permission_does_not_see_it(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get("/admin/inquiries/accesslogentry/").status_code, 403)

    def test_the_view_permission_alone_is_not_enough(self):
        self.specialist.user_permissions.add(Permission.objects.get(codename="view_accesslogentry"))
        self.client.force_login(self.specialist)
        self.assertEqual(self.client.get("/admin/inquiries/accesslogentry/").status_code, 403)


class StaffGroupInquiryPermissionTests(StaffInquiryPersonasMixin, TestCase):
    def test_only_managers_read_the_access_log(self):
        self.assertTrue(self.manager.has_perm("inquiries.view_access_log"))
        for user in (self.clerk, self.specialist, self.administrator):
            with self.subTest(user=user.username):
                self.assertFalse(user.has_perm("inquiries.view_access_log"))

    def test_clerks_and_specialists_register_contacts(self):
        for user in (self.clerk, self.specialist):
            self.assertTrue(user.has_perm("inquiries.add_inquiry"))
        self.assertFalse(self.manager.has_perm("inquiries.add_inquiry"))

    def test_no_group_may_read_or_change_inquiries_through_a_permission(self):
        for user in (self.clerk, self.specialist, self.manager, self.administrator):
            for perm in ("view_inquiry", "change_inquiry", "delete_inquiry"):
                with self.subTest(user=user.username, perm=perm):
                    self.assertFalse(user.has_perm(f"inquiries.{perm}"))

    def test_administrators_keep_teams_and_routing_rules(self):
        self.assertTrue(self.administrator.has_perm("inquiries.change_routingrule"))
        self.assertTrue(self.administrator.has_perm("inquiries.add_team"))
        self.assertFalse(self.manager.has_perm("inquiries.change_routingrule"))
