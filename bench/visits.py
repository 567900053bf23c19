"""Queue tickets per second through the API against a bare Django JSON view, and how fast 20
display screens see a call.

    .venv/bin/python bench/visits.py [--seconds 5] [--threads 4] [--workers 2]
                                     [--screens 20] [--calls 30]

One gunicorn (the production app server, `--workers` sync workers) on a loopback port serves
both targets with the same settings and middleware; the same `--threads` client threads drive
them one after the other for `--seconds` each:

- "bare JSON view (baseline)": a Django view defined in this script that parses the same JSON
  body and answers 201 with a made-up ticket, writing nothing;
- "POST …/tickets/": the ticket API: the number under the counter row's lock, the ticket and its
  event, position and estimated wait.

The ratio says how many bare requests fit in the time of one ticket. Afterwards the numbers of
the queue are checked to be exactly 1..N for the N tickets acknowledged (no gaps, no doubles).

Display latency: `--screens` client threads poll the screen's JSON
(`/betjeningssteder/<slug>/skaerm/calls.json?since=<event id>`) as the screen does, waiting 1 s
after each answer, each starting at a random moment. This process calls tickets to desks
`--calls` times (`ticket_call_next` through the ORM, on the same database, 0.5–1.5 s apart) and
each screen notes when it first sees each call: p50/p95/max over all screens and calls. The
issue asks for a call on the screen within 2 seconds.

Set DATABASE_URL to measure on PostgreSQL; by default a SQLite file in /tmp (recreated each run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE = "/tmp/indgang-bench-visits.sqlite3"
RUN_AS_MAIN = __name__ == "__main__"
if RUN_AS_MAIN and not os.environ.get("DATABASE_URL"):
    for suffix in ("", "-wal", "-shm"):
        Path(DEFAULT_SQLITE + suffix).unlink(missing_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
os.environ.setdefault("INDGANG_DEMO", "1")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("STATIC_ROOT", "/tmp/indgang-bench-static")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.settings.base")
# The API is throttled per client; the benchmark is one client.
for _rate in ("TICKET_RATE", "INDGANG_API_RATE", "APPOINTMENT_RATE", "INQUIRY_RATE"):
    os.environ[_rate] = "10000000/minute"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from indgang.urls import urlpatterns as site_urlpatterns  # noqa: E402

BARE_PATH = "/bench/bare/"
POLL_SECONDS = 1.0


@csrf_exempt
@require_POST
def bare_ticket(request: HttpRequest) -> JsonResponse:
    """The baseline: parse the JSON, check it, answer 201 with a made-up ticket; no writes."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "not JSON"}, status=400)
    if not isinstance(data, dict) or not str(data.get("queue", "")).strip():
        return JsonResponse({"queue": ["This field is required."]}, status=400)
    body = {"number": "A000", "position": 0, "estimated_wait_minutes": 0, "url": "/koe/x/"}
    return JsonResponse(body, status=201)


# This module is also the URLconf of the benchmark server: the bare view beside the whole site.
urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare_ticket),
    *site_urlpatterns,
]

if not RUN_AS_MAIN:  # imported by gunicorn (`visits:application`): serve this URLconf
    settings.ROOT_URLCONF = __name__
    application = WSGIHandler()


def _request(port: int, method: str, url: str, body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, url, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(port: int, url: str, seconds: float, threads: int) -> dict:
    body = json.dumps({"queue": "A"}).encode()
    numbers: list[str] = []
    for _ in range(5):  # warm each worker's imports and connections
        status, payload = _request(port, "POST", url, body)
        if status == 201:
            numbers.append(json.loads(payload)["number"])
    warm = len(numbers)
    timings: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < end:
            start = time.perf_counter()
            status, payload = _request(port, "POST", url, body)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    numbers.append(json.loads(payload)["number"])

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(timings),
        "rps": len(timings) / wall,
        "p50": statistics.median(timings),
        "p95": _percentile(timings, 0.95),
        "statuses": statuses,
        "numbers": numbers,
        "warm": warm,
    }


def seed(slug: str) -> dict:
    """A service point with queue A (the throughput run) and B (the calls), four desks on B."""
    from indgang.inquiries.tests.factories import UserFactory
    from indgang.places.models import WeeklyHours
    from indgang.places.tests.factories import ServicePointFactory
    from indgang.visits.services import desk_session_start
    from indgang.visits.tests.factories import DeskFactory, QueueFactory

    # Open around the clock on every day, holidays too: the ticket API refuses when closed.
    point = ServicePointFactory(
        slug=slug, name="Bench Borgerservice", follows_public_holidays=False
    )
    for weekday in range(7):
        WeeklyHours.objects.create(
            service_point=point, weekday=weekday, opens=dt.time(0), closes=dt.time(0)
        )
    a = QueueFactory(service_point=point, code="A", name="Pas og kørekort")
    b = QueueFactory(service_point=point, code="B", name="Alt andet")
    sessions = []
    for n in range(1, 5):
        desk = DeskFactory(service_point=point, name=f"Skranke {n}")
        desk.queues.add(b)
        user = UserFactory(username=f"bench-{slug}-{n}")
        sessions.append(desk_session_start(desk=desk, user=user, queues=[b]))
    return {"point": point, "a": a, "b": b, "sessions": sessions}


def display_latency(port: int, slug: str, sessions, queue, screens: int, calls: int) -> dict:
    """Screens poll every second; this process calls tickets; when does each screen see each?"""
    from django.db import connection

    from indgang.visits.lifecycle import TicketStatus
    from indgang.visits.models import TicketEvent
    from indgang.visits.services import ticket_call_next, ticket_issue

    for _ in range(calls):
        ticket_issue(queue=queue)
    url = f"/betjeningssteder/{slug}/skaerm/calls.json"
    status, payload = _request(port, "GET", url)
    if status != 200:
        raise RuntimeError(f"{url}: HTTP {status} {payload[:200]!r}")
    first_since = json.loads(payload)["since"]
    stop = threading.Event()
    seen: list[dict[int, float]] = [{} for _ in range(screens)]
    errors: list[str] = []

    def screen(n: int) -> None:
        since = first_since
        time.sleep(random.uniform(0, POLL_SECONDS))  # screens were switched on at any moment
        while not stop.is_set():
            status, payload = _request(port, "GET", f"{url}?since={since}")
            now = time.perf_counter()
            if status == 200:
                data = json.loads(payload)
                for call in data["calls"]:
                    seen[n].setdefault(call["id"], now)
                since = data["since"]
            else:
                errors.append(f"HTTP {status}")
            stop.wait(POLL_SECONDS)

    threads = [threading.Thread(target=screen, args=(n,)) for n in range(screens)]
    for thread in threads:
        thread.start()
    time.sleep(POLL_SECONDS * 1.5)
    called: dict[int, float] = {}
    for k in range(calls):
        time.sleep(random.uniform(0.5, 1.5))
        at = time.perf_counter()
        ticket = ticket_call_next(session=sessions[k % len(sessions)])
        if ticket is None:
            raise RuntimeError("nobody left to call")
        event = TicketEvent.objects.filter(ticket=ticket, to_status=TicketStatus.CALLED).latest(
            "pk"
        )
        called[event.pk] = at
    time.sleep(POLL_SECONDS * 3)
    stop.set()
    for thread in threads:
        thread.join()
    connection.close()
    latencies = [
        (seen[n][event] - at) * 1000
        for event, at in called.items()
        for n in range(screens)
        if event in seen[n]
    ]
    return {
        "latencies": latencies,
        "missed": screens * calls - len(latencies),
        "errors": errors,
    }


def main() -> int:
    from indgang.lib.testing.live_server import AppServer, server_env, temp_directory

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per target")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--screens", type=int, default=20, help="display screens polling")
    parser.add_argument("--calls", type=int, default=30, help="tickets called to desks")
    args = parser.parse_args()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from indgang.visits.models import Ticket

    call_command("migrate", verbosity=0)
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    data = seed(slug)
    vendor = connection.vendor
    connection.close()

    directory, remove = temp_directory("indgang-bench-visits-")
    env = server_env(directory, os.environ["DATABASE_URL"], ALLOWED_HOSTS="127.0.0.1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH")]))
    server = AppServer(directory, env, app="visits:application", workers=args.workers)
    try:
        server.wait_listening(timeout=30)
        ticket_url = f"/api/v1/service-points/{slug}/tickets/"
        rows = [
            (
                "bare JSON view (baseline)",
                measure(server.port, BARE_PATH, args.seconds, args.threads),
            ),
            ("POST …/tickets/", measure(server.port, ticket_url, args.seconds, args.threads)),
        ]
        display = display_latency(
            server.port, slug, data["sessions"], data["b"], args.screens, args.calls
        )
    except Exception:
        print(server.log(), file=sys.stderr)
        raise
    finally:
        server.stop()
        remove()

    acknowledged = len(rows[1][1]["numbers"])  # with the warm-up
    stored = sorted(
        Ticket.objects.filter(queue=data["a"], day=timezone.localdate()).values_list(
            "number", flat=True
        )
    )
    shown = sorted(int(number[1:]) for number in rows[1][1]["numbers"])
    gapless = acknowledged > 0 and stored == shown == list(range(1, acknowledged + 1))

    baseline = rows[0][1]
    print(
        f"{vendor}, gunicorn with {args.workers} sync workers, {args.threads} client threads, "
        f"{args.seconds:g} s per target, one new connection per request\n"
    )
    print(
        f"{'target':<27} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'× baseline time':>16} {'statuses':>10}"
    )
    for label, row in rows:
        statuses = ",".join(f"{code}:{count}" for code, count in sorted(row["statuses"].items()))
        print(
            f"{label:<27} {row['requests']:>8} {row['rps']:>8.1f} {row['p50']:>8.1f} "
            f"{row['p95']:>8.1f} {baseline['rps'] / row['rps']:>16.2f} {statuses:>10}"
        )
    print(
        f"\nQueue A: {len(stored)} tickets stored for {acknowledged} acknowledged (incl. "
        f"{rows[1][1]['warm']} warm-up), numbers 1..{stored[-1] if stored else 0}: "
        + ("gapless, no duplicates." if gapless else "GAPS OR DUPLICATES!")
    )
    latencies = display["latencies"]
    print(
        f"\nDisplay: {args.screens} screens polling every {POLL_SECONDS:g} s, {args.calls} calls "
        f"to desks; from the call to each screen showing it ({len(latencies)} sightings):"
    )
    if latencies:
        within = sum(ms <= 2000 for ms in latencies) / len(latencies)
        print(
            f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'≤ 2 s':>7} {'missed':>7} {'errors':>7}\n"
            f"{statistics.median(latencies):>8.0f} {_percentile(latencies, 0.95):>8.0f} "
            f"{max(latencies):>8.0f} {within:>7.0%} {display['missed']:>7} "
            f"{len(display['errors']):>7}"
        )
    ok = gapless and display["missed"] == 0 and not display["errors"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
