from django.test import TestCase
from django.urls import reverse

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.models import Department, PublicationStatus, Service


class ServiceAdminTests(StaffPersonasMixin, TestCase):
    def setUp(self):
        self.department = Department.objects.create(slug="borgerservice", name="Borgerservice")
        self.service = Service.objects.create(
            slug="pas",
            title="Pas",
            summary="Du søger om pas i Borgerservice.",
            department=self.department,
            status=PublicationStatus.PUBLISHED,
        )
        self.url = reverse("admin:catalogue_service_change", args=[self.service.pk])

    def form_data(self, **changes):
        data = {
            "title": self.service.title,
            "slug": self.service.slug,
            "status": self.service.status,
            "summary": self.service.summary,
            "department": self.department.pk,
            "keywords": "",
            "offerings-TOTAL_FORMS": "0",
            "offerings-INITIAL_FORMS": "0",
            "offerings-MIN_NUM_FORMS": "0",
            "offerings-MAX_NUM_FORMS": "1000",
        }
        data.update(changes)
        return data

    def test_department_staff_add_keywords_and_the_history_says_who(self):
        self.client.force_login(self.specialist)
        response = self.client.post(self.url, self.form_data(keywords="passport\nrejsepas"))
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.service.refresh_from_db()
        self.assertEqual(self.service.keyword_list(), ["passport", "rejsepas"])
        self.assertEqual(self.service.history.first().history_user, self.specialist)

    def test_a_published_slug_cannot_be_changed(self):
        self.client.force_login(self.administrator)
        self.client.post(self.url, self.form_data(slug="rejsepas"))
        self.service.refresh_from_db()
        self.assertEqual(self.service.slug, "pas")

    def test_it_refuses_a_service_handled_by_both_a_department_and_an_authority(self):
        from indgang.catalogue.models import Authority

        authority = Authority.objects.create(slug="udbetaling-danmark", name="Udbetaling Danmark")
        self.client.force_login(self.administrator)
        response = self.client.post(self.url, self.form_data(authority=authority.pk))
        self.assertEqual(response.status_code, 200)
        self.service.refresh_from_db()
        self.assertIsNone(self.service.authority)

    def test_publishing_a_service_without_a_handler_is_refused(self):
        draft = Service.objects.create(slug="ny", title="Ny ydelse", summary="Kladde")
        self.client.force_login(self.administrator)
        self.client.post(
            reverse("admin:catalogue_service_changelist"),
            {"action": "publish", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        self.assertEqual(draft.status, PublicationStatus.DRAFT)

    def test_a_clerk_may_look_up_but_not_change_a_service(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.assertEqual(self.client.post(self.url, self.form_data(keywords="x")).status_code, 403)
