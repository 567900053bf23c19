"""The placement pages: access, comparing placements on maps, adding sites and population data."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from indgang.inquiries.tests.staff_personas import StaffInquiryPersonasMixin
from indgang.places.tests.factories import BusStopFactory, ServicePointFactory

from ..models import CandidateSite, Placement, PopulationCell, PopulationGrid
from ..placement import KM_PER_DEGREE_LAT

LAT, LON = 56.0, 9.0


def north(km: float) -> float:
    return LAT + km / KM_PER_DEGREE_LAT


class PlacementPageTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.town_hall = ServicePointFactory(
            name="Rådhuset", latitude=LAT, longitude=LON, parking=True
        )
        cls.stop = BusStopFactory(name="Havnen", latitude=north(20), longitude=LON)
        cls.hall = CandidateSite.objects.create(
            name="Hallen", latitude=north(20), longitude=LON, step_free_access=True
        )
        cls.grid = PopulationGrid.objects.create(name="Test grid")
        for km, people in ((0, 100), (10, 50), (20, 50)):
            PopulationCell.objects.create(
                grid=cls.grid, latitude=north(km), longitude=LON, population=people
            )
        cls.only_town_hall = Placement.objects.create(name="Only the town hall")
        cls.only_town_hall.service_points.add(cls.town_hall)
        cls.with_hall = Placement.objects.create(name="Town hall and Hallen")
        cls.with_hall.service_points.add(cls.town_hall)
        cls.with_hall.candidate_sites.add(cls.hall)

    def url(self, query: str = "") -> str:
        return reverse("scenarios:placement") + query

    def test_access(self):
        urls = [
            self.url(),
            reverse("scenarios:placement_create"),
            reverse("scenarios:placement_edit", args=[self.with_hall.pk]),
            reverse("scenarios:site_create"),
            reverse("scenarios:population"),
        ]
        for url in urls:
            with self.subTest(url=url, user="anonymous"):
                self.client.logout()
                self.assertIn("login", self.client.get(url)["Location"])
            with self.subTest(url=url, user="clerk"):
                self.client.force_login(self.clerk)
                self.assertEqual(self.client.get(url).status_code, 403)
            with self.subTest(url=url, user="manager"):
                self.client.force_login(self.manager)
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_compares_placements_side_by_side(self):
        self.client.force_login(self.manager)
        response = self.client.get(
            self.url(f"?compare=today&compare={self.only_town_hall.pk}&compare={self.with_hall.pk}")
        )
        columns = {c["key"]: c for c in response.context["columns"]}
        self.assertEqual(
            [c["name"] for c in response.context["columns"]][1:],
            ["Only the town hall", "Town hall and Hallen"],
        )
        columns["Only the town hall"] = columns[str(self.only_town_hall.pk)]
        columns["Town hall and Hallen"] = columns[str(self.with_hall.pk)]
        columns["Today"] = columns["today"]
        alone = dict(columns["Only the town hall"]["coverage"].within_km)
        self.assertAlmostEqual(alone[5.0], 0.5)
        self.assertAlmostEqual(alone[15.0], 0.75)
        both = columns["Town hall and Hallen"]["coverage"]
        self.assertAlmostEqual(dict(both.within_km)[5.0], 0.75)
        # Today: the town hall and the bus stop (candidates are not open yet).
        self.assertEqual(len(columns["Today"]["sites"]), 2)
        self.assertContains(response, 'id="coverage-table"')
        self.assertContains(response, 'data-measure="km-5.0">50 %', html=False)
        self.assertContains(response, 'data-measure="km-5.0">75 %', html=False)

    def test_the_maps_are_drawn_from_the_data(self):
        self.client.force_login(self.manager)
        response = self.client.get(self.url(f"?compare={self.with_hall.pk}&radius=5"))
        body = response.content.decode()
        self.assertEqual(body.count('class="placement-map"'), 1)
        self.assertIn('role="img"', body)
        self.assertIn('id="map-title-', body)
        drawing = response.context["columns"][0]["map"]
        self.assertEqual(len(drawing["squares"]), 3)
        self.assertEqual([m["name"] for m in drawing["markers"]], ["Rådhuset", "Hallen"])
        self.assertEqual(drawing["circle_km"], 5.0)
        # North is up: the town hall (south) is lower on the map than Hallen, 20 km north.
        town_hall, hall = drawing["markers"]
        self.assertAlmostEqual(town_hall["y"] - hall["y"], 20.0, places=1)
        self.assertIn('r="5.0"', body)  # a coverage circle of 5 km, not localised to "5,0"

    def test_weights_change_the_score(self):
        self.client.force_login(self.manager)
        only_parking = "&w_public_transport=0&w_parking=1&w_step_free=0&w_opening_hours=0"
        only_parking += "&w_staff=0&w_self_service=0"
        response = self.client.get(self.url(f"?compare={self.with_hall.pk}{only_parking}"))
        coverage = response.context["columns"][0]["coverage"]
        # The town hall has parking and serves 150 of 200 citizens; Hallen has none.
        self.assertAlmostEqual(coverage.score, 75.0)
        only_step_free = only_parking.replace("w_parking=1", "w_parking=0").replace(
            "w_step_free=0", "w_step_free=1"
        )
        response = self.client.get(self.url(f"?compare={self.with_hall.pk}{only_step_free}"))
        self.assertAlmostEqual(response.context["columns"][0]["coverage"].score, 25.0)

    def test_bad_input_shows_errors_not_a_500(self):
        self.client.force_login(self.manager)
        for query in (
            "?w_parking=99",
            "?compare=nope",
            "?grid=abc",
            "?radius=7",
            "?compare=1&compare=2&compare=3&compare=4&compare=today",
        ):
            with self.subTest(query=query):
                response = self.client.get(self.url(query))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)

    def test_without_a_grid_it_says_how_to_get_one(self):
        PopulationGrid.objects.all().delete()
        self.client.force_login(self.manager)
        response = self.client.get(self.url())
        self.assertContains(response, 'id="no-grid"')

    def test_a_manager_creates_a_placement(self):
        self.client.force_login(self.manager)
        response = self.client.post(
            reverse("scenarios:placement_create"),
            {"name": "Bus only", "points": [f"stop-{self.stop.pk}", f"site-{self.hall.pk}"]},
        )
        placement = Placement.objects.get(name="Bus only")
        self.assertRedirects(
            response,
            self.url(f"?compare=today&compare={placement.pk}"),
            fetch_redirect_response=False,
        )
        self.assertEqual(list(placement.bus_stops.all()), [self.stop])
        self.assertEqual(list(placement.candidate_sites.all()), [self.hall])
        self.assertEqual(placement.created_by, self.manager)

    def test_a_placement_needs_points_and_known_ones(self):
        self.client.force_login(self.manager)
        for points in ([], ["point-99999"], ["<script>"]):
            with self.subTest(points=points):
                response = self.client.post(
                    reverse("scenarios:placement_create"), {"name": "X", "points": points}
                )
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Placement.objects.filter(name="X").exists())

    def test_editing_a_placement_changes_its_points(self):
        self.client.force_login(self.manager)
        url = reverse("scenarios:placement_edit", args=[self.only_town_hall.pk])
        self.assertEqual(
            self.client.get(url).context["form"].initial["points"], [f"point-{self.town_hall.pk}"]
        )
        self.client.post(url, {"name": "Moved", "points": [f"site-{self.hall.pk}"]})
        self.only_town_hall.refresh_from_db()
        self.assertEqual(self.only_town_hall.name, "Moved")
        self.assertEqual(list(self.only_town_hall.service_points.all()), [])
        self.assertEqual(list(self.only_town_hall.candidate_sites.all()), [self.hall])

    def test_a_manager_adds_a_candidate_site(self):
        self.client.force_login(self.manager)
        data = {"name": "Skolen", "latitude": "56.61", "longitude": "9.3", "hours_per_week": "12"}
        data |= {"desks": "1", "self_service_pcs": "2", "parking": "on"}
        response = self.client.post(reverse("scenarios:site_create"), data)
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        site = CandidateSite.objects.get(name="Skolen")
        self.assertTrue(site.parking)
        bad = data | {"latitude": "91", "name": "Bad"}
        self.assertEqual(self.client.post(reverse("scenarios:site_create"), bad).status_code, 400)


class PopulationImportViewTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def post_csv(self, text: str | bytes, name: str = "Grid"):
        content = text.encode("utf-8") if isinstance(text, str) else text
        upload = SimpleUploadedFile("grid.csv", content, content_type="text/csv")
        return self.client.post(reverse("scenarios:population"), {"name": name, "file": upload})

    def test_it_imports_a_csv_file(self):
        response = self.post_csv("postcode;lat;lon;population\n7690;56,62;9,23;8450\n")
        grid = PopulationGrid.objects.get()
        self.assertRedirects(
            response,
            reverse("scenarios:placement") + f"?grid={grid.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual(grid.cells.get().population, 8450)

    def test_it_lists_the_errors_of_a_bad_file(self):
        response = self.post_csv("lat,lon,population\n56,9,ten\n56,200,4\n")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(response.context["errors"]), 2)
        self.assertContains(response, 'id="import-errors"', status_code=400)
        self.assertFalse(PopulationGrid.objects.exists())

    def test_a_binary_file_is_refused(self):
        response = self.post_csv(b"\x81\x8d\x8f\x90\x9d")
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors["file"])

    def test_it_makes_the_synthetic_grid_around_the_points(self):
        ServicePointFactory(latitude=56.6212, longitude=9.231)
        response = self.client.post(reverse("scenarios:population"), {"generate": "1"})
        grid = PopulationGrid.objects.get()
        self.assertTrue(grid.synthetic)
        self.assertRedirects(
            response,
            reverse("scenarios:placement") + f"?grid={grid.pk}",
            fetch_redirect_response=False,
        )

    def test_the_synthetic_grid_needs_coordinates(self):
        response = self.client.post(reverse("scenarios:population"), {"generate": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(PopulationGrid.objects.exists())
