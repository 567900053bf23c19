from indgang.core.tests.municipality import PageTestCase


class ServicePointCalendarTests(PageTestCase):
    def test_it_serves_the_opening_hours_as_icalendar(self):
        response = self.client.get("/betjeningssteder/borgerservice-raadhuset/aabningstider.ics")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="aabningstider-borgerservice-raadhuset.ics"',
        )
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertIn("BEGIN:VEVENT", body)

    def test_it_is_404_for_unknown_and_unpublished_points(self):
        for slug in ["findes-ikke", "lukket-filial"]:
            response = self.client.get(f"/betjeningssteder/{slug}/aabningstider.ics")
            self.assertEqual(response.status_code, 404, slug)
