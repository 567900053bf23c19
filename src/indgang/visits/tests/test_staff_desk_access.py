"""Who may open the desk pages: anonymous → login, staff without the permission → 403."""

from django.test import TestCase

from indgang.visits.services import desk_session_start, ticket_issue

from .desk_personas import StaffDeskPersonasMixin, appointment_make

DESK_PAGES = ["/personale/skranke/", "/personale/skranke/betjening/"]
DESK_ACTIONS = [
    "/personale/skranke/start/",
    "/personale/skranke/forlad/",
    "/personale/skranke/betjening/kald-naeste/",
    "/personale/skranke/betjening/{ticket}/kald-igen/",
    "/personale/skranke/betjening/{ticket}/begynd/",
    "/personale/skranke/betjening/{ticket}/udeblevet/",
    "/personale/skranke/betjening/{ticket}/flyt/",
    "/personale/skranke/betjening/{ticket}/faerdig/",
]
DAY = "/personale/skranke/dag/"
DAY_ACTIONS = [
    "/personale/skranke/dag/tider/{appointment}/tjek-ind/",
    "/personale/skranke/dag/tider/{appointment}/udeblevet/",
]


class DeskAccessTests(StaffDeskPersonasMixin, TestCase):
    def setUp(self):
        self.ticket = ticket_issue(queue=self.queue_a)
        self.appointment = appointment_make(service=self.passport, point=self.point)

    def urls(self, templates):
        return [t.format(ticket=self.ticket.pk, appointment=self.appointment.pk) for t in templates]

    def test_anonymous_visitors_go_to_the_login(self):
        for url in DESK_PAGES + [DAY]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])
        for url in self.urls(DESK_ACTIONS + DAY_ACTIONS):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 302)
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, "waiting")

    def test_staff_without_the_permission_and_citizens_are_refused(self):
        for user in (self.specialist, self.administrator, self.citizen):
            self.client.force_login(user)
            for url in DESK_PAGES + [DAY]:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            for url in self.urls(DESK_ACTIONS + DAY_ACTIONS):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.post(url).status_code, 403)
        self.appointment.refresh_from_db()
        self.assertEqual(self.appointment.status, "booked")

    def test_managers_see_the_day_but_do_not_use_the_desks_or_check_in(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(DAY).status_code, 200)
        for url in DESK_PAGES:
            self.assertEqual(self.client.get(url).status_code, 403)
        for url in self.urls(DESK_ACTIONS + DAY_ACTIONS):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 403)
        response = self.client.get(DAY + "?point=raadhuset")
        self.assertContains(response, "Karen Jensen")
        self.assertNotContains(response, "tjek-ind")

    def test_clerks_get_the_pages(self):
        desk_session_start(desk=self.counter1, user=self.clerk, queues=[self.queue_a])
        self.client.force_login(self.clerk)
        for url in DESK_PAGES + [DAY]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_pages_only_answer_their_methods(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.post(DAY).status_code, 405)
        self.assertEqual(self.client.post("/personale/skranke/betjening/").status_code, 405)
        self.assertEqual(self.client.get("/personale/skranke/start/").status_code, 405)
