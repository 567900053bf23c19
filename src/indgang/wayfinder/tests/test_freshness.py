from django.test import TestCase, override_settings

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.wayfinder.freshness import IndexHolder, catalogue_fingerprint, forget_index
from indgang.wayfinder.selectors import wayfinder_search


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class IndexHolderTests(TestCase):
    def setUp(self):
        self.builds = 0
        self.fingerprint = ("v1",)
        self.checks = 0
        self.clock = FakeClock()

        def build():
            self.builds += 1
            return object()

        def fingerprint():
            self.checks += 1
            return self.fingerprint

        self.holder = IndexHolder(build, fingerprint, clock=self.clock)

    @override_settings(WAYFINDER_REFRESH_SECONDS=2)
    def test_it_builds_once_and_reuses_the_index(self):
        first = self.holder.get()
        self.assertIs(self.holder.get(), first)
        self.assertEqual(self.builds, 1)

    @override_settings(WAYFINDER_REFRESH_SECONDS=2)
    def test_it_asks_the_database_at_most_once_per_interval(self):
        self.holder.get()
        self.clock.now = 1.9
        self.holder.get()
        self.assertEqual(self.checks, 1)
        self.clock.now = 2.1
        self.holder.get()
        self.assertEqual(self.checks, 2)

    @override_settings(WAYFINDER_REFRESH_SECONDS=2)
    def test_it_rebuilds_when_the_catalogue_changed(self):
        first = self.holder.get()
        self.fingerprint = ("v2",)
        self.clock.now = 2.5
        self.assertIsNot(self.holder.get(), first)
        self.assertEqual(self.builds, 2)

    @override_settings(WAYFINDER_REFRESH_SECONDS=2)
    def test_an_unchanged_catalogue_keeps_the_index(self):
        first = self.holder.get()
        self.clock.now = 10
        self.assertIs(self.holder.get(), first)
        self.assertEqual(self.builds, 1)


@override_settings(WAYFINDER_REFRESH_SECONDS=0)
class CatalogueChangeTests(TestCase):
    """A change saved by staff (in this or any other process) reaches the next search."""

    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)

    def test_a_new_keyword_is_found_without_a_restart(self):
        service = ServiceFactory(slug="storskrald", title="Storskrald", keywords="")
        self.assertNotEqual(_best("sofaafhentning"), "storskrald")
        service.keywords = "sofaafhentning, hente gammel sofa"
        service.save()
        self.assertEqual(_best("sofaafhentning"), "storskrald")

    def test_an_unpublished_service_disappears(self):
        service = ServiceFactory(slug="valgkort", title="Valgkort")
        self.assertEqual(_best("valgkort"), "valgkort")
        service.status = "draft"
        service.save()
        self.assertIsNone(_best("valgkort"))

    def test_the_fingerprint_changes_with_every_saved_service(self):
        service = ServiceFactory()
        before = catalogue_fingerprint()
        service.title = "Et nyt navn"
        service.save()
        self.assertNotEqual(catalogue_fingerprint(), before)


def _best(query: str) -> str | None:
    answer = wayfinder_search(query=query)
    return answer.best.slug if answer.best else None
