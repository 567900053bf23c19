"""Every citizen page type in a real browser: axe-core finds no violations; none needs JavaScript.

The browser comes from BrowserTestCase (see browser.py). Run only these tests with
`indgang test --tag browser`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone, translation

from indgang.catalogue.models import LifeEvent, Service
from indgang.demo.services import demo_load
from indgang.places.models import ServicePoint, ServicePointKind
from indgang.places.tests.factories import HoursExceptionFactory, SpecialPeriodFactory
from indgang.wayfinder.freshness import forget_index

from .browser import BrowserTestCase
from .municipality import build_municipality

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices: those cover heading order and
# landmarks, which the WCAG tags alone leave out.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

NOT_FOUND = "/findes-ikke/"


@translation.override("da")
def citizen_pages() -> list[str]:
    """One page of every citizen page type in the database, in Danish and in English."""
    town_hall, library, bus, phone, chat = (
        ServicePoint.objects.published().filter(kind=kind).first()
        for kind in ServicePointKind.values
    )
    services = Service.objects.published()
    self_service = services.exclude(self_service_url="").filter(department__isnull=False).first()
    # A sensitive service handled by another authority shows the most page parts at once.
    sensitive = (
        services.filter(sensitive=True, authority__isnull=False).first()
        or services.filter(sensitive=True).first()
    )
    danish = [
        "/",
        "/ydelser/",
        "/ydelser/?q=pas",
        "/ydelser/?q=ingen-ydelse-hedder-s%C3%A5dan",
        self_service.get_absolute_url(),
        sensitive.get_absolute_url(),
        "/livssituationer/",
        LifeEvent.objects.published().first().get_absolute_url(),
        "/betjeningssteder/",
        *(point.get_absolute_url() for point in (town_hall, library, bus, phone, chat)),
        # The wayfinder: an answer card, an honest "not sure", and the empty search page.
        "/vejviser/?q=pas",
        "/vejviser/?q=ingen-ydelse-hedder-s%C3%A5dan",
        "/vejviser/",
        # Inquiries: the form's first step and the tracking form (the later steps, the receipt
        # and the timeline need a session: see the inquiry tests below).
        "/henvendelse/",
        "/henvendelse/status/",
        NOT_FOUND,
    ]
    return danish + ["/en" + path for path in danish]


def axe_run(page) -> list[dict]:
    """axe-core's violations (WCAG 2.1 AA and best practice) on the page as it is now."""
    page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            summary = node["failureSummary"].replace("\n", " ")
            lines.append(f"      at {' '.join(node['target'])}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


class CitizenPagesInTheBrowserTests(BrowserTestCase):
    axe_checks: list[tuple[str, int]] = []
    axe_failures: list[str] = []

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.axe_checks, cls.axe_failures = [], []

    def setUp(self):
        super().setUp()
        # The wayfinder keeps one index per process (the live server's thread shares it): build
        # it from this test's catalogue, not from one an earlier test left behind.
        forget_index()
        self.addCleanup(forget_index)

    @classmethod
    def tearDownClass(cls):
        if cls.axe_checks:
            pages = len({path for path, _ in cls.axe_checks})
            result = (
                "no violations"
                if not cls.axe_failures
                else f"violations on {len(cls.axe_failures)} of them"
            )
            print(
                f"\naxe-core {AXE_VERSION} ({', '.join(AXE_TAGS)}): {pages} pages checked "
                f"{len(cls.axe_checks)} times (desktop and phone widths), {result}."
            )
        super().tearDownClass()

    def load_demo(self) -> list[str]:
        # The whole demo municipality, so axe sees real texts, hours and long lists.
        today = timezone.localdate()
        demo_load(today=today)
        # Whatever the hour, one point is open and one closed, so both status badges are checked.
        points = ServicePoint.objects.published()
        open_all_day = HoursExceptionFactory(
            service_point=points.filter(kind=ServicePointKind.TOWN_HALL).first(),
            starts_on=today,
            closed=False,
            note="Åbent hele dagen",
        )
        SpecialPeriodFactory(exception=open_all_day, opens=dt.time(0), closes=dt.time(0))
        HoursExceptionFactory(
            service_point=points.filter(kind=ServicePointKind.LIBRARY).first(),
            starts_on=today,
            closed=True,
            note="Lukket i dag",
        )
        return citizen_pages()

    def load_small_municipality(self) -> list[str]:
        # Enough for behaviour checks, and much faster to build than the demo with all of KLE.
        build_municipality(today=timezone.localdate())
        return citizen_pages()

    def open(self, path: str, *, javascript: bool = True, width: int = 1280):
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}
        )
        self.addCleanup(context.close)
        page = context.new_page()
        response = page.goto(self.live_server_url + path)
        return page, response

    def axe_violations(self, path: str, *, width: int) -> list[str]:
        page, response = self.open(path, width=width)
        self.assertEqual(response.status, 404 if path.endswith(NOT_FOUND) else 200, path)
        violations = axe_run(page)
        type(self).axe_checks.append((path, width))
        if violations:
            type(self).axe_failures.append(path)
            return [format_violations(f"{path} at {width}px", violations)]
        return []

    def test_every_page_type_has_no_axe_violations(self):
        failures = []
        for path in self.load_demo():
            with self.subTest(path=path):
                failures += self.axe_violations(path, width=1280)
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_every_page_type_has_no_axe_violations_on_a_phone(self):
        # The layout changes below 992px (menu, tables); the Danish pages cover every layout.
        failures = []
        for path in self.load_demo():
            if not path.startswith("/en/"):
                with self.subTest(path=path):
                    failures += self.axe_violations(path, width=375)
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_every_page_shows_its_content_without_javascript(self):
        for path in self.load_small_municipality():
            with self.subTest(path=path):
                page, _ = self.open(path, javascript=False)
                heading = page.locator("main h1")
                self.assertTrue(heading.is_visible(), f"{path}: no visible h1 in <main>")
                self.assertTrue(heading.inner_text().strip())
                switch = page.locator("form.language-switch button[type=submit]")
                self.assertTrue(switch.is_visible())
                language = "en" if path.startswith("/en/") else "da"
                self.assertEqual(page.locator("html").get_attribute("lang"), language)

    def test_the_main_menu_is_reachable_on_a_phone_without_javascript(self):
        self.load_small_municipality()
        page, _ = self.open("/en/", javascript=False, width=375)
        menu = page.get_by_role("navigation", name="Main menu")
        for name in ["Services A–Z", "Life events", "Where to find us"]:
            self.assertTrue(menu.get_by_role("link", name=name).is_visible(), name)

    def test_the_language_switch_works_without_javascript(self):
        self.load_small_municipality()
        service = Service.objects.published().first()
        url = service.get_absolute_url()
        page, _ = self.open(url, javascript=False)
        page.get_by_role("button", name="English").click()
        page.wait_for_url(self.live_server_url + "/en" + url)
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        self.assertEqual(page.locator("main h1").inner_text(), service.title)
        page.get_by_role("button", name="Dansk").click()
        page.wait_for_url(self.live_server_url + url)
        self.assertEqual(page.locator("html").get_attribute("lang"), "da")

    def test_the_front_page_search_finds_services_without_javascript(self):
        self.load_small_municipality()
        service = Service.objects.published().order_by("pk").first()
        page, _ = self.open("/en/", javascript=False)
        page.get_by_label("What do you need help with?").fill(service.title)
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/en/vejviser/?q=*")
        result = page.get_by_role("main").get_by_role("link", name=service.title, exact=True)
        self.assertTrue(result.is_visible())

    def test_the_search_box_in_the_header_leads_to_the_wayfinder_without_javascript(self):
        self.load_small_municipality()
        page, _ = self.open("/en/ydelser/", javascript=False)
        search = page.get_by_role("search", name="Search the website")
        search.get_by_label("What do you need help with?").fill("pas")
        search.get_by_role("button", name="Search").click()
        page.wait_for_url("**/en/vejviser/?q=pas")
        self.assertEqual(page.locator("main h1").inner_text(), "Find help")
        answer = page.locator("#answer-heading")
        self.assertEqual(answer.inner_text(), "Pas")
        # "Did this help?" is a plain form: answering reloads the page with a thank-you.
        page.get_by_role("button", name="Yes").click()
        page.wait_for_url("**/en/vejviser/?q=pas&tak=1*")
        self.assertIn("Thank you for your answer", page.locator("#feedback").inner_text())

    def test_the_search_box_suggests_services_while_typing(self):
        self.load_small_municipality()
        page, _ = self.open("/en/vejviser/")
        page.get_by_label("What do you need help with?").press_sequentially("pa")
        options = page.locator("#wayfinder-q-suggestions option")
        options.first.wait_for(state="attached")
        self.assertIn("Pas", options.evaluate_all("options => options.map(o => o.value)"))

    # --- Inquiries: every step of writing to us and following the inquiry ---

    def axe_on(self, page, label: str) -> list[str]:
        """axe-core on the page as it is now (pages that need the session of this browser)."""
        violations = axe_run(page)
        width = page.viewport_size["width"]
        type(self).axe_checks.append((label, width))
        if violations:
            type(self).axe_failures.append(label)
            return [format_violations(f"{label} at {width}px", violations)]
        return []

    def test_every_step_of_writing_to_us_and_tracking_has_no_axe_violations(self):
        self.load_small_municipality()
        failures = []
        for prefix in ["", "/en"]:
            for width in [1280, 375]:
                page, _ = self.open(f"{prefix}/henvendelse/?ydelse=boligstoette", width=width)
                page.locator("button[value=describe]").click()  # nothing written: an error
                page.wait_for_selector(".alert-error")
                failures += self.axe_on(page, f"{prefix}/henvendelse/ (step 1, error)")
                page.locator("#id_description").fill("Jeg skal have nyt pas og boligstøtte")
                page.locator("button[value=describe]").click()
                page.wait_for_selector("#id_service_0")
                failures += self.axe_on(page, f"{prefix}/henvendelse/ (step 2)")
                page.locator("#id_email").fill("ikke-en-adresse")
                page.locator("#id_phone").fill("123")
                page.locator("button.button-primary[value=send]").click()
                page.wait_for_selector(".alert-error")
                failures += self.axe_on(page, f"{prefix}/henvendelse/ (step 2, errors)")
                page.locator("#id_email").fill("karen@example.dk")
                page.locator("#id_phone").fill("")
                page.locator("button.button-primary[value=send]").click()
                page.wait_for_url(f"**{prefix}/henvendelse/kvittering/")
                failures += self.axe_on(page, f"{prefix}/henvendelse/kvittering/")
                reference = page.locator(".receipt-reference").inner_text()
                page.goto(f"{self.live_server_url}{prefix}/henvendelse/status/")
                failures += self.axe_on(page, f"{prefix}/henvendelse/status/ (timeline)")
                page.locator("form[action$='/luk/'] button").click()
                page.wait_for_selector("#id_contact")
                page.locator("#id_reference").fill(reference)
                page.locator("#id_contact").fill("wrong@example.dk")
                page.locator("#id_contact").press("Enter")
                page.wait_for_selector(".alert-error")
                failures += self.axe_on(page, f"{prefix}/henvendelse/status/ (not found)")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_an_inquiry_can_be_sent_and_followed_without_javascript(self):
        from indgang.inquiries.models import Inquiry
        from indgang.inquiries.references import reference_parse

        self.load_small_municipality()
        page, _ = self.open("/en/henvendelse/", javascript=False)
        page.locator("#id_description").fill("Mit pas er udløbet, hvad gør jeg?")
        page.locator("button[value=describe]").click()
        page.wait_for_selector("#id_service_0")
        page.locator("#id_name").fill("Karen Jensen")
        page.locator("#id_email").fill("karen@example.dk")
        page.locator("#id_email").press("Enter")  # Enter sends, it does not re-suggest
        page.wait_for_url("**/en/henvendelse/kvittering/")
        reference = page.locator(".receipt-reference").inner_text()
        self.assertEqual(reference_parse(reference), reference)
        inquiry = Inquiry.objects.get(reference=reference)
        self.assertEqual(inquiry.citizen_email, "karen@example.dk")
        # Reloading the receipt never sends the inquiry again.
        page.reload()
        self.assertEqual(Inquiry.objects.count(), 1)
        page.locator("main a.button-primary").click()
        page.wait_for_url("**/en/henvendelse/status/")
        self.assertIn(reference, page.locator("main h1").inner_text())
