from django.test import TestCase

from indgang.demo.services import demo_load
from indgang.scenarios.demo import EXAMPLES_DIR, scenarios_demo_load
from indgang.scenarios.models import Placement, PopulationGrid, Scenario


class ScenariosDemoLoadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_it_adds_every_example_with_a_result_and_makes_a_grid(self):
        added, grid_made = scenarios_demo_load()

        self.assertEqual(added, len(list(EXAMPLES_DIR.glob("*.yaml"))))
        self.assertTrue(grid_made)
        self.assertEqual(PopulationGrid.objects.count(), 1)
        for scenario in Scenario.objects.all():
            self.assertIn("overall", scenario.result)
            self.assertEqual(scenario.replications, 3)
        without = Placement.objects.get(name="Uden skranken i Strandvig")
        self.assertNotIn("strandvig-bibliotek", [p.slug for p in without.service_points.all()])
        self.assertEqual(without.bus_stops.count(), 5)
        with_station = Placement.objects.get(name="Stationen i stedet for bussen")
        self.assertEqual(with_station.candidate_sites.count(), 1)
        self.assertEqual(with_station.bus_stops.count(), 0)

    def test_running_it_again_changes_nothing_and_keeps_edits(self):
        scenarios_demo_load(run=False)
        edited = Scenario.objects.order_by("pk").first()
        edited.yaml_text += "\n# edited by a manager\n"
        edited.save()

        added, grid_made = scenarios_demo_load(run=False)

        self.assertEqual((added, grid_made), (0, False))
        self.assertEqual(PopulationGrid.objects.count(), 1)
        self.assertEqual(Placement.objects.count(), 2)
        edited.refresh_from_db()
        self.assertTrue(edited.yaml_text.endswith("# edited by a manager\n"))
