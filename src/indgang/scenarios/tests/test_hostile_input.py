"""Hostile input to the scenario and placement pages: every field and query parameter gets NUL
bytes, huge and malformed numbers, impossible dates, YAML bombs and oversized uploads, and each
answer is a clear error (a form error, a message or 404), never a server error or a hang."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from indgang.inquiries.tests.staff_personas import StaffInquiryPersonasMixin

from ..forms import MAX_LISTED_ERRORS
from ..models import CandidateSite, Placement, PopulationCell, PopulationGrid, Scenario
from ..scenario import load_scenario
from ..views import RUN_MAX_CONTACTS
from .test_scenario_views import SMALL, scenario_make

NUL = "x\x00y"
LONG = "x" * 100_000
HUGE = str(10**30)
BAD_NUMBERS = ["abc", HUGE, "-" + HUGE, "-1", "nan", "NaN", "inf", "-inf", "1e400", LONG, NUL]
BAD_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "abc", NUL, LONG]

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
HOSTILE_YAML = {
    "nul": "name: x\x00y\n",
    "not a mapping": LONG,
    "billion laughs": LAUGHS + "points: *i\nservices: *i\nname: *i\n",
    "deeply nested lists": "points: " + "[" * 20_000 + "]" * 20_000,
    "deeply nested mappings": "points: " + "{a: " * 20_000 + "1" + "}" * 20_000,
    "python object": "name: !!python/object/apply:os.system ['true']\n",
    "python object at the top": "!!python/object:builtins.dict {}\n",
    "thousands of unknown keys": "".join(f"k{i}: 1\n" for i in range(15_000)),
    "impossible date": SMALL.replace("start: 2026-03-02", "start: 2026-02-30"),
    "year 1": SMALL.replace("start: 2026-03-02", "start: 0001-01-01"),
    "year 9999": SMALL.replace("start: 2026-03-02", "start: 9999-12-31").replace(
        "days: 7", "days: 366"
    ),
    "huge days": SMALL.replace("days: 7", "days: " + HUGE),
    "negative days": SMALL.replace("days: 7", "days: -5"),
    "days with 5000 digits": SMALL.replace("days: 7", "days: " + "9" * 5000),
    "nan days": SMALL.replace("days: 7", "days: .nan"),
    "huge rate": SMALL.replace("per_week: 60", "per_week: " + HUGE),
    "infinite rate": SMALL.replace("per_week: 60", "per_week: .inf"),
    "nan rate": SMALL.replace("per_week: 60", "per_week: .nan"),
    "huge handling time": SMALL.replace("mean: 8", "mean: " + "9" * 400),
    "a year of the maximum rate": SMALL.replace("days: 7", "days: 366").replace(
        "per_week: 60", "per_week: 10000000"
    ),
    "huge agents": SMALL.replace("agents: 2", "agents: " + HUGE),
    "infinite profile weight": SMALL.replace(
        "services:", "profiles:\n  p: {weekdays: {monday: .inf}}\nservices:"
    ),
}


class ScenarioHostileInputTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = scenario_make()

    def setUp(self):
        self.client.force_login(self.manager)

    def post_yaml(self, url: str, text: str, **fields):
        data = {"name": "Hostile", "description": "", "yaml_text": text, **fields}
        with translation.override("en"):
            return self.client.post(url, data)

    def test_it_refuses_hostile_yaml_with_form_errors_when_creating(self):
        for label, text in HOSTILE_YAML.items():
            with self.subTest(label):
                response = self.post_yaml(reverse("scenarios:create"), text)
                self.assertEqual(response.status_code, 400)
                self.assertIn("yaml_text", response.context["form"].errors)
        self.assertEqual(Scenario.objects.count(), 1)

    def test_it_refuses_hostile_yaml_when_editing(self):
        url = reverse("scenarios:edit", args=[self.scenario.pk])
        for label in ("billion laughs", "deeply nested lists", "huge rate", "impossible date"):
            with self.subTest(label):
                response = self.post_yaml(url, HOSTILE_YAML[label])
                self.assertEqual(response.status_code, 400)
                self.assertIn("yaml_text", response.context["form"].errors)
        self.scenario.refresh_from_db()
        self.assertEqual(self.scenario.yaml_text, SMALL)

    def test_thousands_of_problems_list_the_first_ones_and_a_count(self):
        response = self.post_yaml(
            reverse("scenarios:create"), HOSTILE_YAML["thousands of unknown keys"]
        )
        problems = response.context["form"].yaml_errors
        self.assertEqual(len(problems), MAX_LISTED_ERRORS + 1)
        self.assertRegex(problems[-1][1], r"\b149\d\d\b")

    def test_the_scenario_text_is_limited_in_length(self):
        response = self.post_yaml(reverse("scenarios:create"), "# " + "y" * 300_000)
        self.assertEqual(response.status_code, 400)
        self.assertIn("yaml_text", response.context["form"].errors)

    def test_a_5_mb_post_is_refused_before_it_is_read(self):
        response = self.post_yaml(reverse("scenarios:create"), "description: " + "y" * 5_000_000)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Scenario.objects.count(), 1)

    def test_it_refuses_hostile_names(self):
        for name in (NUL, LONG, ""):
            with self.subTest(name=name[:10]):
                response = self.post_yaml(reverse("scenarios:create"), SMALL, name=name)
                self.assertEqual(response.status_code, 400)
                self.assertIn("name", response.context["form"].errors)

    def test_a_stored_scenario_that_no_longer_loads_shows_its_problems(self):
        for label in ("deeply nested lists", "billion laughs", "huge days", "impossible date"):
            with self.subTest(label):
                broken = scenario_make(name=label, yaml_text=HOSTILE_YAML[label])
                detail = self.client.get(reverse("scenarios:detail", args=[broken.pk]))
                self.assertEqual(detail.status_code, 200)
                self.assertTrue(detail.context["problems"])
                run = self.client.post(reverse("scenarios:run", args=[broken.pk]), follow=True)
                self.assertEqual(run.status_code, 200)
                broken.refresh_from_db()
                self.assertIsNone(broken.result)

    def test_a_run_too_large_for_the_page_is_refused_with_a_message(self):
        # Valid (under MAX_CONTACTS, so `indgang simulate` runs it), but about twice the
        # contacts a page load may simulate: the run refuses at once instead of hanging.
        text = SMALL.replace("days: 7", "days: 366").replace("per_week: 60", "per_week: 20000")
        self.assertGreater(load_scenario(text).expected_contacts(), RUN_MAX_CONTACTS)
        big = scenario_make(name="Big", yaml_text=text)
        with translation.override("en"):
            response = self.client.post(reverse("scenarios:run", args=[big.pk]), follow=True)
        self.assertEqual(response.status_code, 200)
        shown = [str(m) for m in response.context["messages"]]
        self.assertEqual(len(shown), 1)
        self.assertIn("too many to run from this page", shown[0])
        self.assertIn("indgang simulate", shown[0])
        big.refresh_from_db()
        self.assertIsNone(big.result)

    def test_unknown_and_absurd_primary_keys_are_404(self):
        for pk in (999_999, 2**31, 10**30):
            for name in ("detail", "edit"):
                with self.subTest(name=name, pk=pk):
                    response = self.client.get(reverse(f"scenarios:{name}", args=[pk]))
                    self.assertEqual(response.status_code, 404)
            with self.subTest(name="run", pk=pk):
                response = self.client.post(reverse("scenarios:run", args=[pk]))
                self.assertEqual(response.status_code, 404)
        for path in ("-1/", "abc/", "1.5/"):
            with self.subTest(path=path):
                response = self.client.get(reverse("scenarios:list") + path)
                self.assertEqual(response.status_code, 404)

    def test_compare_and_report_answer_hostile_queries_with_form_errors(self):
        other = scenario_make(name="Other", result={"overall": {}, "channels": {}})
        for value in [*BAD_NUMBERS, "", str(self.scenario.pk)]:
            for name in ("compare", "report"):
                with self.subTest(name=name, value=value[:12]):
                    response = self.client.get(
                        reverse(f"scenarios:{name}"),
                        {"scenarios": [value, other.pk], "channel": NUL},
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response.context["form"].errors)
        # The same scenario three times is not a comparison of two.
        response = self.client.get(
            reverse("scenarios:compare"), {"scenarios": [other.pk, other.pk, other.pk]}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def test_the_from_data_form_refuses_bad_dates_and_days(self):
        url = reverse("scenarios:create")
        cases = [{"start": d, "days": "28"} for d in BAD_DATES]
        cases += [{"start": "2026-03-02", "days": n} for n in [*BAD_NUMBERS, "0", "367"]]
        for query in cases:
            with self.subTest(query={k: v[:12] for k, v in query.items()}):
                response = self.client.get(url, {"from_data": "1", **query})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["from_data_form"].errors)

    def test_the_example_parameter_takes_any_text(self):
        for value in (NUL, LONG, "../../settings", "../forms.py"):
            with self.subTest(value=value[:12]):
                response = self.client.get(reverse("scenarios:create"), {"example": value})
                self.assertEqual(response.status_code, 200)


class PlacementHostileInputTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.site = CandidateSite.objects.create(name="Hallen", latitude=56.1, longitude=9.0)
        cls.grid = PopulationGrid.objects.create(name="Grid")
        PopulationCell.objects.create(grid=cls.grid, latitude=56.0, longitude=9.0, population=10)
        cls.placement = Placement.objects.create(name="Hallen only")
        cls.placement.candidate_sites.add(cls.site)

    def setUp(self):
        self.client.force_login(self.manager)

    def test_the_comparison_answers_hostile_queries(self):
        url = reverse("scenarios:placement")
        for value in [*BAD_NUMBERS, "0"]:
            for name in ("compare", "grid", "radius", "w_parking", "w_opening_hours"):
                if value == "0" and name.startswith("w_"):
                    continue  # a weight of 0 leaves the criterion out
                with self.subTest(name=name, value=value[:12]):
                    response = self.client.get(url, {name: [value, value]})
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response.context["form"].errors)
        response = self.client.get(url, {"compare": ["today"] * 5})
        self.assertEqual(response.status_code, 200)

    def test_the_placement_form_refuses_hostile_values(self):
        url = reverse("scenarios:placement_create")
        key = f"site-{self.site.pk}"
        cases = [{"name": NUL, "points": key}, {"name": LONG, "points": key}]
        cases += [{"name": "X", "points": v} for v in ["site-" + HUGE, "site-abc", NUL, "point-1"]]
        cases += [{"name": "X", "description": NUL, "points": key}]
        for data in cases:
            with self.subTest(data={k: v[:12] for k, v in data.items()}):
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["form"].errors)
        self.assertEqual(Placement.objects.count(), 1)

    def test_unknown_placements_are_404(self):
        for pk in (999_999, 2**31, 10**30):
            with self.subTest(pk=pk):
                url = reverse("scenarios:placement_edit", args=[pk])
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"name": "X"}).status_code, 404)

    def test_the_candidate_site_form_refuses_hostile_values(self):
        good = {"name": "Site", "latitude": "56", "longitude": "9", "hours_per_week": "30"}
        good |= {"desks": "1", "self_service_pcs": "1"}
        numeric = ("latitude", "longitude", "hours_per_week", "desks", "self_service_pcs")
        for field in numeric:
            for value in BAD_NUMBERS:
                if value == "-1" and field in ("latitude", "longitude"):
                    continue
                with self.subTest(field=field, value=value[:12]):
                    response = self.client.post(
                        reverse("scenarios:site_create"), good | {field: value}
                    )
                    self.assertEqual(response.status_code, 400)
                    self.assertIn(field, response.context["form"].errors)
        for field in ("name", "note"):
            with self.subTest(field=field):
                response = self.client.post(reverse("scenarios:site_create"), good | {field: NUL})
                self.assertEqual(response.status_code, 400)
        self.assertEqual(CandidateSite.objects.count(), 1)

    def upload(self, content: bytes, name: str = "Upload"):
        file = SimpleUploadedFile("grid.csv", content, content_type="text/csv")
        return self.client.post(reverse("scenarios:population"), {"name": name, "file": file})

    def assert_refused(self, response):
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors or response.context["errors"])

    def test_the_population_upload_refuses_hostile_files(self):
        header = b"lat;lon;population\n"
        files = {
            "not UTF-8 nor Windows-1252": header + b"56;9;\x81\x8d\x8f\x90\x9d\n",
            "NUL bytes": header + b"56;9;1\x00\n",
            "NUL in a label": b"lat;lon;population;label\n56;9;1;a\x00b\n",
            "huge population": header + f"56;9;{HUGE}\n".encode(),
            "negative population": header + b"56;9;-5\n",
            "nan population": header + b"56;9;nan\n",
            "infinite population": header + b"56;9;inf\n",
            "huge coordinates": header + f"{HUGE};9;1\n".encode(),
            "nan coordinates": header + b"nan;9;1\n",
            "huge cell id": b"cell;population\n1km_" + b"9" * 5000 + b"_1;1\n",
            "a long line": header + b"56;9;" + b"1" * 100_000 + b"\n",
            "empty": b"",
            "only a header": header,
        }
        for label, content in files.items():
            with self.subTest(label):
                self.assert_refused(self.upload(content))
        self.assertEqual(PopulationGrid.objects.count(), 1)

    def test_a_20_mb_upload_is_refused(self):
        content = b"lat;lon;population\n" + b"56;9;1\n" * (20 * 1024 * 1024 // 7)
        self.assert_refused(self.upload(content))
        self.assertEqual(PopulationGrid.objects.count(), 1)

    def test_hostile_names_are_refused(self):
        for name in (NUL, LONG):
            with self.subTest(name=name[:10]):
                self.assert_refused(self.upload(b"lat;lon;population\n56;9;1\n", name=name))
