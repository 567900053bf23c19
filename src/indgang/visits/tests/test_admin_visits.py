from django.test import TestCase

from indgang.inquiries.tests.factories import UserFactory

from .desk_personas import StaffDeskPersonasMixin


class VisitsAdminTests(StaffDeskPersonasMixin, TestCase):
    def test_an_administrator_edits_queues_desks_and_booking_rules(self):
        self.client.force_login(self.administrator)
        for model in ("queue", "desk", "bookingpolicy", "blockeddate"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/visits/{model}/").status_code, 200)
                self.assertEqual(self.client.get(f"/admin/visits/{model}/add/").status_code, 200)
        response = self.client.post(
            "/admin/visits/queue/add/",
            {
                "service_point": self.point.pk,
                "code": "D",
                "name": "Byggesager",
                "services": [self.moving.pk],
                "sort_order": 40,
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.post(
            "/admin/visits/queue/add/",
            {"service_point": self.point.pk, "code": "d1", "name": "Forkert", "sort_order": 1},
        )
        self.assertEqual(response.status_code, 200)  # refused: not capital letters

    def test_tickets_and_appointments_are_not_in_the_admin(self):
        root = UserFactory(is_staff=True, is_superuser=True)
        self.client.force_login(root)
        for model in ("ticket", "appointment", "ticketevent", "desksession"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/visits/{model}/").status_code, 404)

    def test_clerks_only_look_at_queues_and_desks(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get("/admin/visits/queue/").status_code, 200)
        self.assertEqual(self.client.get("/admin/visits/queue/add/").status_code, 403)
        self.assertEqual(self.client.get("/admin/visits/bookingpolicy/").status_code, 403)
