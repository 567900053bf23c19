import datetime as dt

from django.test import TestCase
from django.urls import reverse

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.places.models import HoursException, ServicePoint, WeeklyHours

from .factories import ServicePointFactory


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class ServicePointAdminTests(StaffPersonasMixin, TestCase):
    def setUp(self):
        self.point = ServicePointFactory(slug="raadhuset", name="Borgerservice, Fjordby Rådhus")
        self.url = reverse("admin:places_servicepoint_change", args=[self.point.pk])

    def post_hours(self, periods):
        data = {
            "name": self.point.name,
            "slug": self.point.slug,
            "kind": self.point.kind,
            "summary": "",
            "published": "on",
            "sort_order": "0",
            "self_service_pcs": "0",
            "follows_public_holidays": "on",
            **inline_management("weekly_hours", len(periods)),
            **inline_management("offerings", 0),
        }
        for i, (weekday, opens, closes) in enumerate(periods):
            data.update(
                {
                    f"weekly_hours-{i}-weekday": str(weekday),
                    f"weekly_hours-{i}-opens": opens,
                    f"weekly_hours-{i}-closes": closes,
                }
            )
        return self.client.post(self.url, data)

    def test_a_manager_sets_a_split_shift(self):
        self.client.force_login(self.manager)
        response = self.post_hours([(0, "10:00", "12:00"), (0, "13:00", "15:00")])
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(WeeklyHours.objects.filter(service_point=self.point).count(), 2)

    def test_it_refuses_overlapping_periods_on_one_weekday(self):
        self.client.force_login(self.manager)
        response = self.post_hours([(0, "10:00", "13:00"), (0, "12:00", "15:00")])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "overlap")
        self.assertFalse(WeeklyHours.objects.exists())

    def test_it_refuses_a_period_that_ends_before_it_starts(self):
        self.client.force_login(self.manager)
        response = self.post_hours([(0, "15:00", "10:00")])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(WeeklyHours.objects.exists())

    def test_a_clerk_may_view_but_not_change_a_service_point(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.post_hours([(0, "10:00", "12:00")]).status_code, 403)

    def test_a_citizen_is_sent_to_the_login(self):
        self.client.force_login(self.citizen)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_the_history_records_who_changed_the_point(self):
        self.client.force_login(self.manager)
        self.post_hours([(1, "10:00", "12:00")])
        point = ServicePoint.objects.get(pk=self.point.pk)
        self.assertEqual(point.history.first().history_user, self.manager)
        history_url = reverse("admin:places_servicepoint_history", args=[self.point.pk])
        self.assertContains(self.client.get(history_url), "manager")


class HoursExceptionAdminTests(StaffPersonasMixin, TestCase):
    def setUp(self):
        self.point = ServicePointFactory()

    def test_a_clerk_closes_the_counter_for_a_day(self):
        self.client.force_login(self.clerk)
        response = self.client.post(
            reverse("admin:places_hoursexception_add"),
            {
                "service_point": self.point.pk,
                "starts_on": "2026-12-02",
                "closed": "on",
                "note": "Lukket på grund af sygdom",
                **inline_management("periods", 0),
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        exception = HoursException.objects.get()
        self.assertEqual((exception.starts_on, exception.closed), (dt.date(2026, 12, 2), True))
        self.assertEqual(exception.history.first().history_user, self.clerk)

    def test_it_refuses_an_end_before_the_start(self):
        self.client.force_login(self.clerk)
        response = self.client.post(
            reverse("admin:places_hoursexception_add"),
            {
                "service_point": self.point.pk,
                "starts_on": "2026-12-02",
                "ends_on": "2026-12-01",
                **inline_management("periods", 0),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(HoursException.objects.exists())

    def test_department_staff_may_not_add_exceptions(self):
        self.client.force_login(self.specialist)
        self.assertEqual(
            self.client.get(reverse("admin:places_hoursexception_add")).status_code, 403
        )
