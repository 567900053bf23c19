from django.test import TestCase, override_settings

from indgang.accounts.tests.personas import StaffPersonasMixin


class ErrorPageTests(StaffPersonasMixin, TestCase):
    def test_a_staff_member_without_access_gets_a_page_that_says_so(self):
        self.client.force_login(self.clerk)

        response = self.client.get("/en/personale/indsigt/")

        self.assertContains(response, "You do not have access to this page", status_code=403)
        self.assertContains(response, "Ask your manager", status_code=403)

    def test_the_access_page_is_danish_by_default(self):
        self.client.force_login(self.clerk)

        response = self.client.get("/personale/scenarier/")

        self.assertContains(response, "Du har ikke adgang til denne side", status_code=403)

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_a_too_large_form_gets_a_page_that_says_nothing_was_saved(self):
        self.client.force_login(self.manager)

        response = self.client.post(
            "/en/personale/scenarier/ny/", {"name": "x", "yaml_text": "a" * 5000}
        )

        self.assertContains(response, "Nothing was saved", status_code=400)
