"""Placement maths: distances, coverage, criteria scores, the CSV import and the synthetic grid."""

from __future__ import annotations

import math

from django.test import SimpleTestCase, TestCase
from django.utils import translation

from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import (
    BusStopFactory,
    ServicePointFactory,
    WeeklyHoursFactory,
)
from indgang.visits.lifecycle import DeskKind
from indgang.visits.tests.factories import DeskFactory

from ..models import CandidateSite, PopulationGrid
from ..placement import (
    KM_PER_DEGREE_LAT,
    Cell,
    Criteria,
    PopulationImportError,
    Site,
    Town,
    Weights,
    bus_minutes,
    candidate_site_list,
    car_minutes,
    coverage,
    haversine_km,
    parse_population_csv,
    population_grid_generate_demo,
    population_grid_import,
    project,
    site_score,
    synthetic_cells,
    utm32_to_latlon,
    weighted_percentile,
)


def law_of_cosines_km(lat1, lon1, lat2, lon2) -> float:
    """An independent formula for the same great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, cos)))


class HaversineTests(SimpleTestCase):
    def test_one_degree_of_latitude_is_about_111_km(self):
        self.assertAlmostEqual(haversine_km(56, 9, 57, 9), 111.195, places=2)

    def test_one_degree_of_longitude_shrinks_with_the_cosine_of_latitude(self):
        self.assertAlmostEqual(haversine_km(0, 9, 0, 10), 111.195, places=2)
        at_56 = haversine_km(56, 9, 56, 10)
        self.assertAlmostEqual(at_56, 111.195 * math.cos(math.radians(56)), delta=0.05)

    def test_copenhagen_to_aarhus_agrees_with_the_law_of_cosines(self):
        copenhagen, aarhus = (55.6761, 12.5683), (56.1629, 10.2039)
        distance = haversine_km(*copenhagen, *aarhus)
        self.assertAlmostEqual(distance, law_of_cosines_km(*copenhagen, *aarhus), places=3)
        self.assertTrue(155 < distance < 160)

    def test_the_same_point_is_0_km_away(self):
        self.assertEqual(haversine_km(56.6212, 9.231, 56.6212, 9.231), 0.0)

    def test_travel_times_follow_the_documented_assumptions(self):
        # 10 km straight line → 13 km road; 13 min by car at 60 km/h, 15 + 26 min by bus.
        self.assertAlmostEqual(car_minutes(10), 13.0)
        self.assertAlmostEqual(bus_minutes(10), 41.0)

    def test_projection_keeps_distances_within_a_municipality(self):
        centre = (56.62, 9.23)
        a, b = (56.60, 9.10), (56.68, 9.34)
        (ax, ay), (bx, by) = project(*a, centre), project(*b, centre)
        self.assertAlmostEqual(math.hypot(ax - bx, ay - by), haversine_km(*a, *b), delta=0.05)
        self.assertLess(by, ay)  # north is up in SVG: a smaller y


class UtmTests(SimpleTestCase):
    def test_the_central_meridian_is_9_degrees_east(self):
        lat, lon = utm32_to_latlon(500_000, 6_200_000)
        self.assertAlmostEqual(lon, 9.0, places=9)
        self.assertTrue(55.8 < lat < 56.0)

    def test_copenhagen_city_hall(self):
        lat, lon = utm32_to_latlon(724_900, 6_175_600)
        self.assertLess(haversine_km(lat, lon, 55.6757, 12.5691), 1.0)

    def test_a_kilometre_on_the_grid_is_a_kilometre_on_the_ground(self):
        base = utm32_to_latlon(550_500, 6_170_500)
        north = utm32_to_latlon(550_500, 6_171_500)
        east = utm32_to_latlon(551_500, 6_170_500)
        self.assertAlmostEqual(haversine_km(*base, *north), 1.0, delta=0.01)
        self.assertAlmostEqual(haversine_km(*base, *east), 1.0, delta=0.01)


def north_of(lat: float, km: float) -> float:
    return lat + km / KM_PER_DEGREE_LAT


class CoverageTests(SimpleTestCase):
    """A tiny grid on one meridian, so every distance is known: 0, 10 and 20 km from the point."""

    def setUp(self):
        self.cells = [
            Cell(56.0, 9.0, 100),
            Cell(north_of(56.0, 10), 9.0, 50),
            Cell(north_of(56.0, 20), 9.0, 50),
        ]
        self.town = Site("point-1", "Town", "point", 56.0, 9.0)

    def test_it_counts_the_share_within_each_distance(self):
        result = coverage(self.cells, [self.town])
        shares = dict(result.within_km)
        self.assertEqual(result.population, 200)
        self.assertAlmostEqual(shares[5.0], 0.5)
        self.assertAlmostEqual(shares[10.0], 0.75)
        self.assertAlmostEqual(shares[15.0], 0.75)

    def test_it_gives_the_mean_and_95th_percentile_distance(self):
        result = coverage(self.cells, [self.town])
        self.assertAlmostEqual(result.mean_km, 7.5, places=3)
        self.assertAlmostEqual(result.p95_km, 20.0, places=3)

    def test_a_second_point_serves_the_citizens_nearest_to_it(self):
        village = Site("site-1", "Village", "candidate", north_of(56.0, 20), 9.0)
        result = coverage(self.cells, [self.town, village])
        self.assertEqual(result.served, {"point-1": 150, "site-1": 50})
        self.assertAlmostEqual(dict(result.within_km)[5.0], 0.75)
        self.assertAlmostEqual(result.mean_km, 2.5, places=3)

    def test_travel_time_shares(self):
        result = coverage(self.cells, [self.town])
        # Car: 0, 13, 26 minutes; bus: 15, 41, 67 minutes.
        self.assertEqual(result.within_car, [(15, 0.75), (30, 1.0)])
        self.assertEqual(result.within_bus, [(15, 0.5), (30, 0.5)])

    def test_no_points_cover_no_one(self):
        result = coverage(self.cells, [])
        self.assertEqual(result.population, 0)
        self.assertIsNone(result.mean_km)
        self.assertEqual(dict(result.within_km)[15.0], 0.0)

    def test_weighted_percentile(self):
        self.assertEqual(weighted_percentile([(1.0, 94), (9.0, 6)], 0.95), 9.0)
        self.assertEqual(weighted_percentile([(1.0, 95), (9.0, 5)], 0.95), 1.0)
        self.assertIsNone(weighted_percentile([], 0.95))


class ScoreTests(SimpleTestCase):
    def test_one_criterion_with_all_the_weight_decides_the_score(self):
        criteria = Criteria(public_transport=True)
        only_transport = Weights(1, 0, 0, 0, 0, 0)
        self.assertEqual(site_score(criteria, only_transport), 100.0)
        only_parking = Weights(0, 1, 0, 0, 0, 0)
        self.assertEqual(site_score(criteria, only_parking), 0.0)

    def test_equal_weights_give_the_mean_of_the_criteria(self):
        equal = Weights(1, 1, 1, 1, 1, 1)
        criteria = Criteria(public_transport=True, hours_per_week=18.5, desks=1, self_service_pcs=4)
        # 1 + 0 + 0 + 0.5 (18.5 of 37 h) + 0.25 (1 of 4 desks) + 0.5 (PCs without guidance)
        self.assertAlmostEqual(site_score(criteria, equal), 100 * 2.25 / 6)

    def test_guidance_makes_the_pcs_count_in_full(self):
        weights = Weights(0, 0, 0, 0, 0, 1)
        self.assertEqual(site_score(Criteria(self_service_pcs=8, guidance=True), weights), 100)
        self.assertEqual(site_score(Criteria(self_service_pcs=8), weights), 50)

    def test_all_weights_zero_scores_zero(self):
        self.assertEqual(site_score(Criteria(parking=True), Weights(0, 0, 0, 0, 0, 0)), 0.0)

    def test_the_placement_score_weighs_each_point_by_the_citizens_nearest_to_it(self):
        cells = [Cell(56.0, 9.0, 300), Cell(north_of(56.0, 30), 9.0, 100)]
        good = Site("a", "Good", "point", 56.0, 9.0, Criteria(parking=True))
        poor = Site("b", "Poor", "point", north_of(56.0, 30), 9.0, Criteria())
        result = coverage(cells, [good, poor], Weights(0, 1, 0, 0, 0, 0))
        self.assertEqual(result.site_scores, {"a": 100.0, "b": 0.0})
        self.assertAlmostEqual(result.score, 75.0)


class CsvImportTests(SimpleTestCase):
    def test_it_reads_address_points_by_postcode(self):
        cells, _cell_km = parse_population_csv(
            "postcode,lat,lon,population\n7690,56.6212,9.231,8450\n7691,56.689,9.205,3120\n"
        )
        self.assertEqual(
            cells,
            [Cell(56.6212, 9.231, 8450, "7690"), Cell(56.689, 9.205, 3120, "7691")],
        )

    def test_it_reads_semicolons_and_decimal_commas(self):
        cells, _ = parse_population_csv("lat;lon;population\n56,5;9,25;1.200\n")
        self.assertEqual(cells, [Cell(56.5, 9.25, 1200)])

    def test_it_reads_danmarks_statistiks_grid_cells(self):
        cells, cell_km = parse_population_csv("\ufeffKN1kmDK;befolkning\n1km_6199_499;40\n")
        self.assertEqual(cell_km, 1.0)
        self.assertEqual(cells[0].label, "1km_6199_499")
        expected = utm32_to_latlon(499_500, 6_199_500)
        self.assertAlmostEqual(cells[0].lat, expected[0])
        self.assertAlmostEqual(cells[0].lon, expected[1])

    def errors(self, text: str) -> list[str]:
        # The messages are checked in English whatever language an earlier test left active.
        with translation.override("en"):
            with self.assertRaises(PopulationImportError) as caught:
                parse_population_csv(text)
            return [str(error) for error in caught.exception.errors]

    def test_it_refuses_a_file_without_a_population_column(self):
        errors = self.errors("lat,lon,people\n56,9,10\n")
        self.assertEqual(len(errors), 1)
        self.assertIn("population", errors[0])

    def test_it_refuses_a_file_without_coordinates(self):
        errors = self.errors("postcode,population\n7690,10\n")
        self.assertIn("lat", errors[0])

    def test_it_lists_every_bad_line_with_its_number(self):
        errors = self.errors(
            "lat,lon,population\n56,9,10\n56,9,many\n95,9,10\n56,9,-3\n56,9\n1km_x,9,4\n"
        )
        self.assertEqual(
            [e.split(":")[0] for e in errors],
            ["Line 3", "Line 4", "Line 5", "Line 6", "Line 7"],
        )

    def test_it_refuses_a_bad_cell_id(self):
        errors = self.errors("cell,population\n6199_499,4\n")
        self.assertTrue(errors[0].startswith("Line 2"))

    def test_it_refuses_an_empty_file(self):
        self.assertEqual(len(self.errors("")), 1)
        self.assertEqual(len(self.errors("lat,lon,population\n")), 1)


TOWNS = [
    Town(56.6212, 9.231, 9000, 1.6),
    Town(56.689, 9.205, 3500, 1.0),
    Town(56.6521, 9.1183, 450, 0.6),
]


class SyntheticGridTests(SimpleTestCase):
    def test_the_same_towns_and_seed_give_the_same_grid(self):
        self.assertEqual(synthetic_cells(TOWNS), synthetic_cells(TOWNS))
        self.assertNotEqual(synthetic_cells(TOWNS, seed=1), synthetic_cells(TOWNS, seed=2))

    def test_every_cell_lies_inside_the_municipality(self):
        cells = synthetic_cells(TOWNS, margin_km=6)
        south, north = min(t.lat for t in TOWNS), max(t.lat for t in TOWNS)
        west, east = min(t.lon for t in TOWNS), max(t.lon for t in TOWNS)
        margin_lat = 7 / KM_PER_DEGREE_LAT
        margin_lon = margin_lat / math.cos(math.radians(56.7))
        for cell in cells:
            self.assertTrue(south - margin_lat < cell.lat < north + margin_lat)
            self.assertTrue(west - margin_lon < cell.lon < east + margin_lon)

    def test_towns_hold_their_population_and_the_countryside_is_thinner(self):
        cells = synthetic_cells(TOWNS)
        total = sum(c.population for c in cells)
        self.assertGreater(total, 12950)  # the towns, nearly all inside the margin
        near_town = sum(
            c.population for c in cells if haversine_km(c.lat, c.lon, 56.6212, 9.231) < 3
        )
        self.assertGreater(near_town, 0.8 * 9000)
        densest = max(cells, key=lambda c: c.population)
        self.assertLess(haversine_km(densest.lat, densest.lon, 56.6212, 9.231), 1.0)

    def test_no_towns_no_grid(self):
        self.assertEqual(synthetic_cells([]), [])


class PlacementDatabaseTests(TestCase):
    def test_candidates_are_points_bus_stops_and_sites_with_their_criteria(self):
        town_hall = ServicePointFactory(
            name="Rådhuset",
            latitude=56.6212,
            longitude=9.231,
            parking=True,
            public_transport="Bus 1",
            self_service_pcs=4,
            weekdays=[("10:00", "14:00")],
        )
        DeskFactory(service_point=town_hall)
        DeskFactory(service_point=town_hall, kind=DeskKind.STATION)
        DeskFactory(service_point=town_hall, active=False)
        ServicePointFactory(name="Uden adresse")  # no coordinates: not a candidate
        ServicePointFactory(kind=ServicePointKind.PHONE, latitude=56.6, longitude=9.2)
        stop = BusStopFactory(name="Tangvig Havn", latitude=56.6033, longitude=9.2981)
        WeeklyHoursFactory(service_point=stop.service_point, stop=stop, weekday=2)
        CandidateSite.objects.create(name="Hallen", latitude=56.65, longitude=9.3, desks=2)

        sites = {s.name: s for s in candidate_site_list()}

        self.assertEqual(set(sites), {"Rådhuset", "Tangvig Havn", "Hallen"})
        hall = sites["Rådhuset"].criteria
        self.assertEqual(hall.hours_per_week, 20.0)
        self.assertEqual(hall.desks, 2)
        self.assertTrue(hall.guidance and hall.parking and hall.public_transport)
        self.assertEqual(sites["Tangvig Havn"].criteria.hours_per_week, 4.0)
        self.assertEqual(sites["Hallen"].criteria.desks, 2)

    def test_a_demo_grid_is_built_around_the_points(self):
        ServicePointFactory(latitude=56.6212, longitude=9.231)
        BusStopFactory(latitude=56.6521, longitude=9.1183)
        grid = population_grid_generate_demo()
        self.assertTrue(grid.synthetic)
        self.assertGreater(grid.cells.count(), 100)
        again = population_grid_generate_demo()
        self.assertEqual(
            list(grid.cells.values_list("latitude", "longitude", "population")),
            list(again.cells.values_list("latitude", "longitude", "population")),
        )

    def test_without_coordinates_there_is_no_demo_grid(self):
        ServicePointFactory()
        with self.assertRaises(PopulationImportError):
            population_grid_generate_demo()
        self.assertFalse(PopulationGrid.objects.exists())

    def test_an_import_with_errors_saves_nothing(self):
        with self.assertRaises(PopulationImportError):
            population_grid_import(name="x", source="", text="lat,lon,population\n1,2,x\n")
        self.assertFalse(PopulationGrid.objects.exists())
        grid = population_grid_import(name="ok", source="", text="lat,lon,population\n1,2,3\n")
        self.assertEqual(grid.cells.get().population, 3)


class MapDrawingTests(SimpleTestCase):
    def test_a_large_grid_is_drawn_with_coarser_squares(self):
        from ..charts import MAX_MAP_SQUARES, map_drawing, map_frame

        cells = [
            Cell(56.0 + i / 111.195, 9.0 + j / 62.2, 1 + (i * j) % 7)
            for i in range(120)
            for j in range(120)
        ]
        frame = map_frame(cells, [], cell_km=1.0)
        drawing = map_drawing(frame, cells, [], cell_km=1.0, circle_km=10)
        self.assertLessEqual(len(drawing["squares"]), MAX_MAP_SQUARES)
        self.assertGreater(len(drawing["squares"]), MAX_MAP_SQUARES / 4)
        self.assertEqual({s["size"] for s in drawing["squares"]}, {2.0})

    def test_a_small_grid_is_drawn_cell_by_cell(self):
        from ..charts import map_drawing, map_frame

        cells = [Cell(56.0, 9.0, 10), Cell(56.01, 9.0, 40)]
        site = Site("point-1", "Town", "point", 56.0, 9.0)
        frame = map_frame(cells, [site], cell_km=1.0)
        drawing = map_drawing(frame, cells, [site], cell_km=1.0, circle_km=5)
        self.assertEqual(len(drawing["squares"]), 2)
        densest = max(drawing["squares"], key=lambda s: s["opacity"])
        self.assertAlmostEqual(densest["opacity"], 0.9)
        self.assertEqual(drawing["markers"][0]["number"], 1)
