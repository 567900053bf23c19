from django.template.loader import render_to_string
from django.utils import translation

from .municipality import PageTestCase


class LayoutTests(PageTestCase):
    """What the base template gives every page."""

    def test_it_has_a_skip_link_to_the_main_content(self):
        response = self.client.get("/en/ydelser/")
        self.assertContains(
            response, '<a class="skipnav" href="#main-content">Go to main content</a>', html=True
        )
        self.assertContains(response, '<main id="main-content" tabindex="-1">')

    def test_it_shows_the_municipality_and_marks_the_current_menu_item(self):
        response = self.client.get("/en/ydelser/")
        self.assertContains(response, "Fjordby Kommune")
        self.assertContains(
            response,
            '<a href="/en/ydelser/" class="nav-link" aria-current="page">'
            "<span>Services A–Z</span></a>",
            html=True,
        )

    def test_it_titles_pages_with_the_page_and_the_municipality(self):
        response = self.client.get("/en/ydelser/pas/")
        self.assertContains(response, "<title>Pas – Fjordby Kommune</title>", html=True)

    def test_its_language_switch_posts_the_same_page_in_the_other_language(self):
        danish = self.client.get("/ydelser/pas/?x=1")
        self.assertContains(
            danish, '<form class="language-switch" action="/i18n/setlang/" method="post">'
        )
        self.assertContains(
            danish, '<input name="next" type="hidden" value="/en/ydelser/pas/?x=1">', html=True
        )
        self.assertContains(danish, 'name="language" value="en" lang="en"')
        english = self.client.get("/en/ydelser/pas/")
        self.assertContains(
            english, '<input name="next" type="hidden" value="/ydelser/pas/">', html=True
        )

    def test_switching_language_lands_on_the_same_page(self):
        response = self.client.post(
            "/i18n/setlang/", {"language": "en", "next": "/en/ydelser/pas/"}
        )
        self.assertRedirects(response, "/en/ydelser/pas/")
        response = self.client.post("/i18n/setlang/", {"language": "da", "next": "/ydelser/pas/"})
        self.assertRedirects(response, "/ydelser/pas/")

    def test_it_credits_kle_and_lists_contact_in_the_footer(self):
        response = self.client.get("/en/")
        self.assertContains(response, "KLE © KL")
        self.assertContains(response, 'href="https://www.kle-online.dk/"')
        self.assertContains(response, "Ring til Borgerservice")

    def test_unknown_pages_get_the_designed_404(self):
        response = self.client.get("/en/findes-ikke/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "We could not find that page", status_code=404)
        self.assertContains(
            response,
            '<input name="next" type="hidden" value="/findes-ikke/">',
            html=True,
            status_code=404,
        )

    def test_the_error_page_renders_without_a_request_or_database(self):
        with self.assertNumQueries(0), translation.override("en"):
            html = render_to_string("500.html")
        self.assertIn("<h1>Something went wrong on our side</h1>", html)
