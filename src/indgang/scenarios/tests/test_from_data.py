"""Today's service model from data: `scenario_from_data`, `simulate from-data` and the page."""

from __future__ import annotations

import datetime as dt
import tempfile
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from indgang.accounts.services import staff_groups_sync
from indgang.catalogue.tests.factories import ServiceFactory
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.inquiries.tests.staff_personas import StaffInquiryPersonasMixin
from indgang.insight.erlang import erlang_c_required
from indgang.insight.forecast import forecast_demand
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.places.models import ServicePointKind, WeeklyHours
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.lifecycle import DeskKind
from indgang.visits.tests.factories import DeskFactory

from ..from_data import NoContactHistory, scenario_from_data, scenario_yaml_from_data
from ..replications import run_scenario
from ..scenario import WEEKDAYS, load_scenario, scenario_from_dict

TZ = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2026, 3, 2)  # a Monday; the history is the four weeks before
START = dt.date(2026, 3, 2)  # two weeks without public holidays
DAYS = 14
MONDAY, THURSDAY = 0, 3


def hours(point, weekday: int, opens: str, closes: str) -> None:
    WeeklyHours.objects.create(
        service_point=point,
        weekday=weekday,
        opens=dt.time.fromisoformat(opens),
        closes=dt.time.fromisoformat(closes),
    )


class _History:
    """Contact rows for the four weeks before TODAY, written in one go."""

    def __init__(self):
        self.rows: list[Contact] = []

    def add(self, *, channel, point=None, day, hour, minute=15, n=1, handle=None, **fields):
        for i in range(n):
            arrived = dt.datetime.combine(day, dt.time(hour, minute + i), tzinfo=TZ)
            self.rows.append(
                Contact(
                    channel=channel,
                    service_point=point,
                    arrived_at=arrived,
                    handle_seconds=handle if handle is None else handle[i % len(handle)],
                    source=ContactSource.DEMO,
                    source_key=f"t:{len(self.rows)}",
                    **fields,
                )
            )

    def save(self) -> None:
        Contact.objects.bulk_create(self.rows)


def build_municipality(today: dt.date = TODAY):
    """A town hall and a library (both open Monday 10–14), a phone line, a bus, a closed point."""
    town_hall = ServicePointFactory(
        slug="raadhus", name="Town hall", kind=ServicePointKind.TOWN_HALL
    )
    hours(town_hall, MONDAY, "10:00", "14:00")
    hours(town_hall, THURSDAY, "10:00", "12:00")  # a split shift
    hours(town_hall, THURSDAY, "13:00", "17:00")
    for kind in (DeskKind.COUNTER, DeskKind.COUNTER, DeskKind.PRIVATE_ROOM, DeskKind.STATION):
        DeskFactory(service_point=town_hall, kind=kind)
    DeskFactory(service_point=town_hall, kind=DeskKind.COUNTER, active=False)
    library = ServicePointFactory(slug="bibliotek", name="Library", kind=ServicePointKind.LIBRARY)
    hours(library, MONDAY, "10:00", "14:00")
    DeskFactory(service_point=library, kind=DeskKind.STATION)
    phone = ServicePointFactory(slug="telefon", name="Phone", kind=ServicePointKind.PHONE)
    for weekday in range(5):
        hours(phone, weekday, "09:00", "15:00")
    bus = ServicePointFactory(slug="bus", name="Citizen bus", kind=ServicePointKind.CITIZEN_BUS)
    hours(bus, MONDAY, "10:00", "12:00")
    hidden = ServicePointFactory(slug="lukket", name="Closed branch", published=False)
    hours(hidden, MONDAY, "10:00", "14:00")

    passport = ServiceFactory(slug="pas", title="Passport")
    history = _History()
    for week in range(4):
        monday = today - dt.timedelta(days=today.weekday() + 7 * (4 - week))
        thursday = monday + dt.timedelta(days=3)
        for hour in (10, 11, 12, 13):
            # Three of every four walk-ins on a Monday come to the town hall, for passports.
            history.add(
                channel=ContactChannel.COUNTER,
                point=town_hall,
                day=monday,
                hour=hour,
                n=3,
                handle=(480, 720, 600),
                service=passport,
            )
            history.add(
                channel=ContactChannel.COUNTER, point=library, day=monday, hour=hour, handle=(600,)
            )
        for hour in (10, 11, 13, 14, 15, 16):
            history.add(
                channel=ContactChannel.COUNTER,
                point=town_hall,
                day=thursday,
                hour=hour,
                n=2,
                handle=(480, 720),
            )
        # Two bookings each Monday; one citizen in the first week did not come.
        history.add(
            channel=ContactChannel.APPOINTMENT,
            point=town_hall,
            day=monday,
            hour=10,
            handle=(900,),
            outcome=ContactOutcome.SERVED,
        )
        history.add(
            channel=ContactChannel.APPOINTMENT,
            point=town_hall,
            day=monday,
            hour=11,
            handle=None if week == 0 else (900,),
            outcome=ContactOutcome.NO_SHOW if week == 0 else ContactOutcome.SERVED,
        )
        for weekday in range(5):
            day = monday + dt.timedelta(days=weekday)
            for hour in range(9, 15):
                history.add(
                    channel=ContactChannel.PHONE,
                    point=phone,
                    day=day,
                    hour=hour,
                    n=24 if hour == 9 else 12,
                    handle=(150, 210),
                )
            history.add(channel=ContactChannel.SELF_SERVICE, day=day, hour=20, count=50)
            history.add(channel=ContactChannel.EMAIL, day=day, hour=8)
    history.save()
    return town_hall, library, phone


def expected_over_horizon(data: dict, channel: str) -> float:
    """Contacts the scenario's demand brings over the horizon in one channel."""
    count = [0] * 7
    for i in range(data["days"]):
        count[(dt.date.fromisoformat(data["start"]) + dt.timedelta(days=i)).weekday()] += 1
    total = 0.0
    for entry in (e for service in data["services"] for e in service["demand"]):
        if entry["channel"] != channel:
            continue
        if "profile" in entry:
            (weekday,) = data["profiles"][entry["profile"]]["weekdays"]
            total += entry["per_week"] * count[WEEKDAYS.index(weekday)]
        else:
            total += entry["per_week"] * data["days"] / 7
    return total


def per_week(
    data: dict, point: str, channel: str, weekday: str | None = None, service: str | None = None
) -> float:
    return sum(
        e["per_week"]
        for s in data["services"]
        for e in s["demand"]
        if service in (None, s["id"])
        and e["point"] == point
        and e["channel"] == channel
        and (weekday is None or e["profile"].endswith(weekday))
    )


class ScenarioFromDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.town_hall, cls.library, cls.phone = build_municipality()

    def setUp(self):
        self.data = scenario_from_data(start=START, days=DAYS, today=TODAY)
        self.points = {p["id"]: p for p in self.data["points"]}
        self.services = {s["id"]: s for s in self.data["services"]}

    def test_it_describes_the_published_points_and_leaves_out_the_bus(self):
        self.assertEqual(set(self.points), {"raadhus", "bibliotek", "telefon", "selvbetjening"})
        self.assertEqual(self.data["points"][-1]["id"], "selvbetjening")
        self.assertIn("Citizen bus", self.data["description"])
        self.assertEqual(self.data["start"], "2026-03-02")
        self.assertEqual(self.data["days"], DAYS)
        self.assertIs(self.data["public_holidays"], True)

    def test_opening_hours_and_split_shifts_match_the_weekly_hours(self):
        counter = self.points["raadhus"]["channels"]["counter"]
        self.assertEqual(
            counter["hours"], {"monday": "10:00-14:00", "thursday": "10:00-12:00, 13:00-17:00"}
        )
        self.assertEqual(
            self.points["bibliotek"]["channels"]["counter"]["hours"], {"monday": "10:00-14:00"}
        )
        self.assertEqual(
            self.points["telefon"]["channels"]["phone"]["hours"],
            {day: "09:00-15:00" for day in WEEKDAYS[:5]},
        )

    def test_staff_are_the_active_desks_during_opening_hours(self):
        channels = self.points["raadhus"]["channels"]
        # Three counter desks (two counters and the private room) shared by walk-ins and bookings.
        on_duty = {
            name: {(b["from"], b["to"], b["agents"]) for b in channels[name]["staff"]}
            for name in ("counter", "appointment", "assisted_self_service")
        }
        counter_agents = {a for _f, _t, a in on_duty["counter"]}
        booked_agents = {a for _f, _t, a in on_duty["appointment"]}
        self.assertEqual(len(counter_agents), 1)
        self.assertEqual(counter_agents.pop() + booked_agents.pop(), 3)
        self.assertEqual(
            on_duty["assisted_self_service"],
            {("10:00", "14:00", 1), ("10:00", "12:00", 1), ("13:00", "17:00", 1)},
        )
        monday = next(b for b in channels["counter"]["staff"] if b["from"] == "10:00")
        self.assertIn("monday", monday["days"])
        # The library has a station but no counter desk: one person serves its walk-ins.
        library = self.points["bibliotek"]["channels"]
        self.assertEqual(library["counter"]["staff"][0]["agents"], 1)
        self.assertEqual(library["assisted_self_service"]["staff"][0]["agents"], 1)
        self.assertNotIn("appointment", library)

    def test_the_walk_ins_are_split_by_each_points_share_of_the_history(self):
        town_hall = per_week(self.data, "raadhus", "counter", "monday")
        library = per_week(self.data, "bibliotek", "counter", "monday")
        self.assertGreater(library, 0)
        self.assertAlmostEqual(town_hall / (town_hall + library), 0.75, places=2)
        # Only the town hall is open on Thursdays, and had every Thursday contact.
        self.assertGreater(per_week(self.data, "raadhus", "counter", "thursday"), 0)
        self.assertEqual(per_week(self.data, "bibliotek", "counter", "thursday"), 0)

    def test_rates_add_up_to_the_forecast_over_the_horizon(self):
        forecast = forecast_demand(start=START, days=DAYS, today=TODAY)
        for insight_channel, channel in (
            ("counter", "counter"),
            ("appointment", "appointment"),
            ("phone", "phone"),
            ("self_service", "self_service"),
        ):
            with self.subTest(channel=channel):
                wanted = sum(i.expected for i in forecast.series[insight_channel])
                self.assertGreater(wanted, 0)
                entries = sum(
                    1 for s in self.data["services"] for e in s["demand"] if e["channel"] == channel
                )
                # per_week is rounded to 0.01 per entry, used on at most two days each.
                self.assertAlmostEqual(
                    expected_over_horizon(self.data, channel), wanted, delta=0.01 * entries * 2
                )

    def test_demand_is_divided_between_services_by_their_share_of_the_history(self):
        self.assertEqual(list(self.services), ["pas", "other"])
        # Half the town hall's walk-ins (all of Monday's, none of Thursday's) were for passports.
        for weekday in ("monday", "thursday"):
            passports = per_week(self.data, "raadhus", "counter", weekday, service="pas")
            everyone = per_week(self.data, "raadhus", "counter", weekday)
            self.assertAlmostEqual(passports / everyone, 0.5, places=2)
        self.assertEqual(per_week(self.data, "bibliotek", "counter", service="pas"), 0)
        self.assertEqual(per_week(self.data, "telefon", "phone", service="pas"), 0)
        # Passports have enough served contacts for their own handling time: 480, 720, 600 s.
        own = self.services["pas"]["handling"]["counter"]
        self.assertEqual((own["mean"], own["cv"]), (10.0, 0.16))
        self.assertEqual(self.services["pas"]["handling"]["phone"]["mean"], 3.0)

    def test_the_weekday_profiles_follow_the_forecast_hours(self):
        profile = self.data["profiles"]["telefon-phone-monday"]
        self.assertEqual(profile["weekdays"], {"monday": 1})
        self.assertEqual(sorted(profile["hours"]), [9, 10, 11, 12, 13, 14])
        self.assertAlmostEqual(profile["hours"][9] / profile["hours"][10], 2.0, places=2)

    def test_phone_staff_come_from_erlang_c_on_the_forecast(self):
        blocks = self.points["telefon"]["channels"]["phone"]["staff"]
        aht = self.services["other"]["handling"]["phone"]["mean"] * 60
        calls = self.data["profiles"]["telefon-phone-monday"]["hours"][9]
        needed = erlang_c_required(
            calls=calls,
            interval_seconds=3600,
            aht_seconds=aht,
            target=0.8,
            answer_time_seconds=20,
        ).agents
        first = next(b for b in blocks if "monday" in b["days"] and b["from"] == "09:00")
        self.assertEqual(first["to"], "10:00")
        self.assertEqual(first["agents"], needed)
        later = next(b for b in blocks if "monday" in b["days"] and b["from"] == "10:00")
        self.assertLess(later["agents"], needed)  # half the calls after the morning peak

    def test_handling_no_show_and_self_service_come_from_the_history(self):
        handling = self.services["other"]["handling"]
        self.assertEqual(handling["counter"]["mean"], 10.0)
        # 480, 720 and 600 s: population standard deviation 101 s.
        self.assertEqual(handling["counter"]["cv"], 0.17)
        self.assertEqual(handling["phone"]["mean"], 3.0)
        # No chat history: the staffing plan's default of 5 minutes.
        self.assertEqual(handling["chat"]["mean"], 5.0)
        appointment = self.points["raadhus"]["channels"]["appointment"]
        self.assertEqual(appointment["no_show"], 0.125)
        self.assertAlmostEqual(per_week(self.data, "selvbetjening", "self_service", "monday"), 50)

    def test_the_result_loads_from_yaml_and_runs(self):
        scenario = load_scenario(scenario_from_dict(self.data).to_yaml())
        self.assertEqual(scenario_from_dict(self.data), scenario)
        short = load_scenario(scenario_yaml_from_data(start=START, days=2, today=TODAY))
        result = run_scenario(short, replications=1, seed=3)
        self.assertGreater(result.overall["arrivals"].mean, 0)
        self.assertGreater(result.channels["phone"]["served"].mean, 0)
        self.assertIn("raadhus/counter", result.stations)

    def test_it_refuses_without_history(self):
        with self.assertRaises(NoContactHistory) as raised:
            scenario_from_data(start=START, days=DAYS, today=dt.date(2020, 1, 6))
        self.assertIn("demo-history", raised.exception.errors[0])


class NoHistoryTests(TestCase):
    def test_an_empty_municipality_is_told_to_import_or_make_demo_history(self):
        ServicePointFactory(kind=ServicePointKind.TOWN_HALL)
        with self.assertRaises(NoContactHistory):
            scenario_from_data(start=START, days=7, today=TODAY)


@time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
class SimulateFromDataCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_municipality()

    def simulate(self, *args) -> str:
        out, err = StringIO(), StringIO()
        call_command("simulate", "from-data", *args, stdout=out, stderr=err)
        return out.getvalue()

    def test_it_prints_a_scenario_that_loads(self):
        scenario = load_scenario(self.simulate("--start", "2026-03-09", "--days", "7"))
        self.assertEqual(scenario.start, dt.date(2026, 3, 9))
        self.assertEqual(scenario.days, 7)
        self.assertEqual(
            {p.id for p in scenario.points}, {"raadhus", "bibliotek", "telefon", "selvbetjening"}
        )

    def test_it_writes_the_file_given(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "today.yaml"
            out = self.simulate("--start", "2026-03-09", "--days", "7", "--output", str(path))
            self.assertEqual(out, "")
            self.assertEqual(load_scenario(path.read_text(encoding="utf-8")).days, 7)

    def test_it_refuses_bad_arguments(self):
        for args in (
            ("--days", "7"),
            ("--start", "9 March", "--days", "7"),
            ("--start", "2026-03-09", "--days", "0"),
        ):
            with self.subTest(args=args), self.assertRaises(CommandError):
                self.simulate(*args)
        with self.assertRaisesMessage(CommandError, "only apply to `simulate from-data`"):
            call_command("simulate", "mmc", "--start", "2026-03-09", stdout=StringIO())

    def test_it_tells_what_to_do_without_history(self):
        Contact.objects.all().delete()
        with self.assertRaisesMessage(CommandError, "demo-history"):
            self.simulate("--start", "2026-03-09", "--days", "7")


@time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
class NewScenarioFromDataPageTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)
        self.url = reverse("scenarios:create")

    def test_it_offers_to_start_from_our_data(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'id="from-data-start"')
        self.assertContains(response, 'id="from-data-days"')
        # Next Monday, written as a date input wants it in any language.
        self.assertContains(response, 'value="2026-03-09"')

    def test_it_prefills_the_yaml_with_todays_model(self):
        build_municipality()
        response = self.client.get(
            self.url, {"from_data": "1", "start": "2026-03-09", "days": "14"}
        )
        self.assertEqual(response.status_code, 200)
        initial = response.context["form"].initial
        scenario = load_scenario(initial["yaml_text"])
        self.assertEqual((scenario.start, scenario.days), (dt.date(2026, 3, 9), 14))
        self.assertIn("raadhus", {p.id for p in scenario.points})
        self.assertEqual(initial["name"], scenario.name)
        self.assertContains(response, "raadhus")

    def test_it_explains_when_there_is_no_history(self):
        with translation.override("en"):
            response = self.client.get(
                reverse("scenarios:create"),
                {"from_data": "1", "start": "2026-03-09", "days": "14"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="from-data-error"')
        self.assertContains(response, "demo-history")

    def test_bad_dates_and_days_are_form_errors(self):
        for query in (
            {"from_data": "1", "start": "someday", "days": "14"},
            {"from_data": "1", "start": "2026-03-09", "days": "0"},
            {"from_data": "1", "start": "2026-03-09", "days": "9999"},
            {"from_data": "1"},
        ):
            with self.subTest(query=query):
                response = self.client.get(self.url, query)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["from_data_form"].errors)


class FromDataInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        self.manager = get_user_model().objects.create_user("manager", is_staff=True)
        self.manager.groups.add(staff_groups_sync()["Leder"])

    def test_the_from_data_states_have_no_axe_violations_and_need_no_javascript(self):
        url = reverse("scenarios:create")
        page, _response = self.open_as(self.manager, url + "?from_data=1&days=0")
        violations = self.axe(page, "from data, form errors")
        page, _response = self.open_as(self.manager, url + "?from_data=1&start=2026-03-02&days=7")
        self.assertTrue(page.is_visible("#from-data-error"))
        violations += self.axe(page, "from data, no history")

        build_municipality(timezone.localdate())
        page, _response = self.open_as(self.manager, url, javascript=False)
        page.fill("#from-data-start", timezone.localdate().isoformat())
        page.fill("#from-data-days", "7")
        page.click("#from-data button[type=submit]")
        page.wait_for_load_state()
        self.assertEqual(load_scenario(page.input_value("#id_yaml_text")).days, 7)
        page, _response = self.open_as(self.manager, page.url.removeprefix(self.live_server_url))
        violations += self.axe(page, "from data, prefilled")
        self.assertEqual(violations, [], "\n".join(violations))
