"""Ticket numbers and appointment capacity hold under concurrent requests, on both databases.

Two levels of proof:

- Service level (TransactionTestCase): many threads, each with its own database connection,
  call `ticket_issue` and `appointment_book` at the same moment on the suite's database.
- HTTP level (`@tag("concurrency")`): the real app server (gunicorn from the venv, production
  settings, several sync workers) runs in its own process group on a free loopback port, on a
  database made for the test (a temporary SQLite file, or a temporary PostgreSQL database when
  the suite runs on PostgreSQL). Client threads, each with its own HTTP connection, fire their
  requests after a common barrier; afterwards the answers and the database are both checked.

Daily restart of the numbering is tested with a frozen clock (time-machine) at service level:
a subprocess's clock cannot be moved.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
import zoneinfo
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import time_machine
from django.db import connections
from django.test import SimpleTestCase, TestCase, tag
from django.utils import timezone

from indgang.lib.testing.live_server import (
    AppServer,
    TempDatabase,
    run_python,
    server_env,
    temp_directory,
)
from indgang.visits.models import Ticket
from indgang.visits.services import ticket_issue

from .factories import QueueFactory

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
TICKETS_A, TICKETS_B = 200, 40
CLIENT_THREADS = 40
BOOKINGS, CAPACITY = 30, 2
SERVER_WORKERS = 4


def run_together(count: int, threads: int, call: Callable[[int], object]) -> list[object]:
    """`call(i)` for i in 0..count-1 on `threads` threads, released at once by a barrier.

    Each thread has its own database connection (Django's are per thread) and its own HTTP
    connections, and closes its database connection when done. An exception is returned in
    place of its call's result.
    """
    barrier = threading.Barrier(threads)
    chunks = [list(range(n, count, threads)) for n in range(threads)]

    def worker(chunk: list[int]) -> list[tuple[int, object]]:
        out = []
        try:
            barrier.wait(timeout=30)
            for i in chunk:
                try:
                    out.append((i, call(i)))
                except Exception as error:  # noqa: BLE001 - judged by the test
                    out.append((i, error))
        finally:
            connections.close_all()
        return out

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = dict(pair for part in pool.map(worker, chunks) for pair in part)
    return [results[i] for i in range(count)]


# Run in a subprocess on the test's own database (see `ConcurrencyTests.in_app`) -------------


def seed() -> dict:
    """Migrate; a service point open all the time with queues A and B, and two desks serving A
    (so a slot of the service in A has capacity 2); a second point for the service-level tests."""
    from django.core.management import call_command

    from indgang.catalogue.tests.factories import ServiceFactory
    from indgang.places.models import ServiceOffering, WeeklyHours
    from indgang.places.tests.factories import ServicePointFactory

    from .factories import DeskFactory

    call_command("migrate", interactive=False, verbosity=0)
    service = ServiceFactory(slug="pas", title="Pas", appointment_minutes=20)
    # Open around the clock on every day, holidays too: the ticket API refuses when closed.
    point = ServicePointFactory(
        slug="borgerservice", name="Borgerservice", follows_public_holidays=False
    )
    for weekday in range(7):
        WeeklyHours.objects.create(
            service_point=point, weekday=weekday, opens=dt.time(0), closes=dt.time(0)
        )
    ServiceOffering.objects.create(service_point=point, service=service, by_appointment=True)
    a = QueueFactory(service_point=point, code="A", name="Pas og kørekort")
    a.services.add(service)
    b = QueueFactory(service_point=point, code="B", name="Alt andet")
    for name in ("Skranke 1", "Skranke 2"):
        DeskFactory(service_point=point, name=name).queues.add(a)
    DeskFactory(service_point=point, name="Skranke 3").queues.add(b)
    other = ServicePointFactory(slug="filial", name="Filial")
    return {
        "service": {"id": service.pk, "slug": service.slug},
        "point": {"id": point.pk, "slug": point.slug},
        "queues": {"A": a.pk, "B": b.pk},
        "other_point": other.pk,
    }


def drive_ticket_issue(point_id: int, per_queue: dict[str, int], threads: int) -> dict:
    """New queues at the point; `ticket_issue` from `threads` threads at once, interleaved."""
    from indgang.places.models import ServicePoint

    point = ServicePoint.objects.get(pk=point_id)
    queues = {code: QueueFactory(service_point=point, code=code) for code in per_queue}
    order = [code for code, n in per_queue.items() for _ in range(n)]
    order = order[::2] + order[1::2]  # the queues' requests mixed
    connections.close_all()
    results = run_together(len(order), threads, lambda i: ticket_issue(queue=queues[order[i]]))
    numbers: dict[str, list[int]] = {code: [] for code in per_queue}
    errors = []
    for code, result in zip(order, results, strict=True):
        if isinstance(result, Exception):
            errors.append(repr(result))
        else:
            numbers[code].append(result.number)
    stored = {
        code: list(Ticket.objects.filter(queue=queue).values_list("number", flat=True))
        for code, queue in queues.items()
    }
    return {"numbers": numbers, "stored": stored, "errors": errors}


def drive_appointment_book(point_id: int, service_id: int, count: int, capacity: int) -> dict:
    """`appointment_book` of one slot from `count` threads at once."""
    from indgang.catalogue.models import Service
    from indgang.places.models import ServicePoint
    from indgang.visits.booking import SlotFull, appointment_book
    from indgang.visits.lifecycle import AppointmentStatus
    from indgang.visits.models import Appointment

    point = ServicePoint.objects.get(pk=point_id)
    service = Service.objects.get(pk=service_id)
    start = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    connections.close_all()

    def book(i: int) -> str:
        return appointment_book(
            service=service,
            service_point=point,
            start=start,
            capacity=capacity,
            name=f"Borger {i}",
            email=f"borger{i}@example.dk",
        ).reference

    results = run_together(count, count, book)
    live = Appointment.objects.filter(service_point=point, service=service, start=start).exclude(
        status=AppointmentStatus.CANCELLED
    )
    return {
        "booked": [r for r in results if isinstance(r, str)],
        "full": sum(isinstance(r, SlotFull) for r in results),
        "errors": [repr(r) for r in results if not isinstance(r, str | SlotFull)],
        "stored": sorted(live.values_list("reference", "seat")),
    }


def drive_same_form_twice(point_id: int, service_id: int, count: int, capacity: int) -> dict:
    """The same booking form (one reference, its idempotency key) sent from `count` threads at
    once into a slot with room for `capacity`."""
    from indgang.catalogue.models import Service
    from indgang.inquiries.references import reference_generate
    from indgang.places.models import ServicePoint
    from indgang.visits.booking import REFERENCE_PREFIX, AlreadyBooked, appointment_book
    from indgang.visits.models import Appointment

    point = ServicePoint.objects.get(pk=point_id)
    service = Service.objects.get(pk=service_id)
    start = (timezone.now() + dt.timedelta(days=4)).replace(minute=0, second=0, microsecond=0)
    reference = reference_generate(REFERENCE_PREFIX)
    connections.close_all()

    def book(i: int) -> str:
        return appointment_book(
            service=service,
            service_point=point,
            start=start,
            capacity=capacity,
            name="Karen Jensen",
            email="karen@example.dk",
            reference=reference,
        ).reference

    results = run_together(count, count, book)
    return {
        "booked": [r for r in results if isinstance(r, str)],
        "already": sorted(
            {r.appointment.reference for r in results if isinstance(r, AlreadyBooked)}
        ),
        "errors": [repr(r) for r in results if not isinstance(r, str | AlreadyBooked)],
        "stored": list(
            Appointment.objects.filter(service_point=point, start=start).values_list(
                "reference", flat=True
            )
        ),
        "reference": reference,
    }


# The tests -----------------------------------------------------------------------------------


@tag("concurrency")
class ConcurrencyTests(SimpleTestCase):
    """One temporary database (migrated and seeded once) and one gunicorn for the class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp, remove = temp_directory("indgang-visits-concurrency-")
        cls.addClassCleanup(remove)
        cls.db = TempDatabase(cls.tmp, prefix="indgang_visits_concurrency_")
        cls.addClassCleanup(cls.db.close)
        cls.env = server_env(cls.tmp, cls.db.url)
        cls.seeded = cls.in_app("seed()")
        cls.server = AppServer(cls.tmp, cls.env, workers=SERVER_WORKERS, label="concurrency")
        cls.addClassCleanup(cls.server.stop)
        cls.server.wait_listening()

    @classmethod
    def in_app(cls, call: str) -> dict:
        """Evaluate `call` (a function of this module) in a fresh process on the test database."""
        code = (
            "import json, django\n"
            "django.setup()\n"
            "from indgang.visits.tests.test_concurrency import *\n"
            f"print(json.dumps({call}))\n"
        )
        return json.loads(run_python(code, cls.env, cls.tmp).strip().splitlines()[-1])

    def request(self, method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            headers = {"Accept": "application/json"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            connection.request(method, url, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        try:
            return response.status, json.loads(payload or b"null")
        except ValueError:
            return response.status, {"body": payload[:300].decode(errors="replace")}

    # Service level: many threads with their own database connections ----------------------

    def test_ticket_issue_from_many_threads_numbers_each_queue_from_one_without_gaps(self):
        result = self.in_app(
            f"drive_ticket_issue({self.seeded['other_point']}, "
            f"{{'C': {TICKETS_A}, 'D': {TICKETS_B}}}, 30)"
        )
        self.assertEqual(result["errors"], [])
        for code, total in (("C", TICKETS_A), ("D", TICKETS_B)):
            self.assertEqual(sorted(result["numbers"][code]), list(range(1, total + 1)), code)
            self.assertEqual(sorted(result["stored"][code]), list(range(1, total + 1)), code)

    def test_appointment_book_from_many_threads_never_overfills_a_slot(self):
        result = self.in_app(
            f"drive_appointment_book({self.seeded['other_point']}, "
            f"{self.seeded['service']['id']}, {BOOKINGS}, {CAPACITY})"
        )
        self.assertEqual(result["errors"], [])
        self.assertEqual((len(result["booked"]), result["full"]), (CAPACITY, BOOKINGS - CAPACITY))
        self.assertEqual(sorted(ref for ref, _ in result["stored"]), sorted(result["booked"]))
        self.assertEqual(sorted(seat for _, seat in result["stored"]), [1, 2])

    def test_the_same_booking_form_sent_at_once_from_many_threads_books_one_seat(self):
        result = self.in_app(
            f"drive_same_form_twice({self.seeded['other_point']}, "
            f"{self.seeded['service']['id']}, 8, {CAPACITY})"
        )
        self.assertEqual(result["errors"], [])
        self.assertEqual(result["booked"], [result["reference"]])
        self.assertEqual(result["already"], [result["reference"]])
        self.assertEqual(result["stored"], [result["reference"]])

    # HTTP level: real parallel requests against gunicorn -----------------------------------

    def test_concurrent_ticket_requests_get_numbers_one_to_n_per_queue(self):
        slug = self.seeded["point"]["slug"]
        url = f"/api/v1/service-points/{slug}/tickets/"
        codes = ["A"] * TICKETS_A + ["B"] * TICKETS_B
        codes = codes[::2] + codes[1::2]  # the two queues' requests mixed
        answers = run_together(
            len(codes), CLIENT_THREADS, lambda i: self.request("POST", url, {"queue": codes[i]})
        )
        failures = [a if isinstance(a, Exception) else a[0] for a in answers]
        failures = Counter(repr(f) for f in failures if f != 201)
        self.assertEqual(failures, Counter(), self.server.log())
        for code, total in (("A", TICKETS_A), ("B", TICKETS_B)):
            shown = [
                body["number"] for c, (_, body) in zip(codes, answers, strict=True) if c == code
            ]
            expected = [f"{code}{n:03d}" for n in range(1, total + 1)]
            self.assertEqual(sorted(shown), expected, code)
            stored = self.db.read(
                "SELECT number FROM visits_ticket WHERE queue_id = %s",
                (self.seeded["queues"][code],),
            )
            self.assertEqual(sorted(n for (n,) in stored), list(range(1, total + 1)), code)

    def test_concurrent_bookings_of_one_slot_fill_exactly_its_capacity(self):
        service, point = self.seeded["service"], self.seeded["point"]
        slot = self.first_free_slot(service["slug"], point["slug"])
        self.assertEqual(slot["capacity_left"], CAPACITY, slot)

        def book(i: int) -> tuple[int, dict]:
            return self.request(
                "POST",
                "/api/v1/appointments/",
                {
                    "service": service["slug"],
                    "service_point": point["slug"],
                    "start": slot["start"],
                    "name": f"Borger {i}",
                    "email": f"borger{i}@example.dk",
                },
            )

        answers = run_together(BOOKINGS, BOOKINGS, book)
        statuses = Counter(a if isinstance(a, Exception) else a[0] for a in answers)
        self.assertEqual(statuses, {201: CAPACITY, 409: BOOKINGS - CAPACITY}, self.server.log())
        references = sorted(body["reference"] for status, body in answers if status == 201)
        stored = self.db.read(
            "SELECT reference, seat FROM visits_appointment WHERE service_point_id = %s "
            "AND service_id = %s AND status <> 'cancelled'",
            (point["id"], service["id"]),
        )
        self.assertEqual(sorted(reference for reference, _ in stored), references)
        self.assertEqual(sorted(seat for _, seat in stored), [1, 2])
        status, slots = self.request(
            "GET",
            f"/api/v1/appointments/slots?service={service['slug']}&service_point={point['slug']}"
            f"&date={slot['start'][:10]}",
        )
        self.assertEqual(status, 200)
        self.assertNotIn(slot["start"], [s["start"] for s in slots])

    def first_free_slot(self, service: str, point: str) -> dict:
        today = timezone.localdate()
        for ahead in range(2, 12):
            day = today + dt.timedelta(days=ahead)
            status, slots = self.request(
                "GET",
                f"/api/v1/appointments/slots?service={service}&service_point={point}&date={day}",
            )
            self.assertEqual(status, 200, slots)
            if slots:
                return slots[len(slots) // 2]
        self.fail("no free slot in the next days")


class TicketNumbersRestartEachDayTests(TestCase):
    """Numbering restarts at the municipality's local midnight, not at UTC midnight."""

    def test_the_first_ticket_after_local_midnight_is_number_one_again(self):
        queue, other = QueueFactory(code="A"), QueueFactory(code="B")
        evening = dt.datetime(2026, 3, 10, 23, 40, tzinfo=COPENHAGEN)
        with time_machine.travel(evening, tick=False):
            first_day = [ticket_issue(queue=queue).number for _ in range(3)]
            ticket_issue(queue=other)
        # 00:20 in Copenhagen is still 10 March in UTC: the local day decides.
        with time_machine.travel(evening + dt.timedelta(minutes=40), tick=False):
            self.assertEqual(timezone.now().astimezone(dt.UTC).date(), dt.date(2026, 3, 10))
            second_day = [ticket_issue(queue=queue).number for _ in range(2)]
            self.assertEqual(ticket_issue(queue=other).number, 1)
        self.assertEqual(first_day, [1, 2, 3])
        self.assertEqual(second_day, [1, 2])
        days = Ticket.objects.filter(queue=queue).values_list("day", "number")
        self.assertEqual(
            sorted(days),
            [(dt.date(2026, 3, 10), n) for n in (1, 2, 3)]
            + [(dt.date(2026, 3, 11), n) for n in (1, 2)],
        )

    def test_the_same_number_may_come_again_on_another_day_but_not_on_the_same(self):
        queue = QueueFactory(code="A")
        for day in (dt.date(2026, 6, 1), dt.date(2026, 6, 2)):
            noon = dt.datetime.combine(day, dt.time(12), tzinfo=COPENHAGEN)
            with time_machine.travel(noon, tick=False):
                ticket_issue(queue=queue)
        self.assertEqual(
            list(Ticket.objects.filter(queue=queue).values_list("number", flat=True)), [1, 1]
        )
