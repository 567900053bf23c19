"""Inquiry submissions per second through the API against a bare Django JSON view, same server.

    .venv/bin/python bench/inquiries.py [--seconds 5] [--threads 4] [--workers 2]

Both targets are served by one gunicorn (the production app server, `--workers` sync workers) on
a loopback port, with the same settings and middleware, and are driven by the same `--threads`
client threads, one after the other, for `--seconds` each:

- "bare JSON view (baseline)": a Django view defined in this script that parses the same JSON,
  checks for a description and answers 201 with a made-up reference, writing nothing;
- "API, service given": POST /api/v1/inquiries/ with a service slug: validation, reference,
  routing, deadline, the inquiry with its first message and events, the receipt in the outbox;
- "API, wayfinder picks": the same without a service, so the wayfinder reads the text first.

Each ratio says how many bare requests fit in the time of one submission; "queries" counts the
database queries of one request (in-process, through the test client). The demo municipality is
loaded first. Set DATABASE_URL to measure on PostgreSQL; by default a SQLite file in /tmp is used
(recreated on each run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE = "/tmp/indgang-bench-inquiries.sqlite3"
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
os.environ["INQUIRY_RATE"] = "10000000/minute"
os.environ["INDGANG_API_RATE"] = "10000000/minute"

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
API_PATH = "/api/v1/inquiries/"


@csrf_exempt
@require_POST
def bare_submit(request: HttpRequest) -> JsonResponse:
    """The baseline: parse the JSON, check it, answer 201; nothing is written."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "not JSON"}, status=400)
    if not isinstance(data, dict) or not str(data.get("description", "")).strip():
        return JsonResponse({"description": ["This field is required."]}, status=400)
    return JsonResponse({"reference": "H-BARE-0000", "status": "received"}, status=201)


# This module is also the URLconf of the benchmark server: the bare view beside the whole site.
urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare_submit),
    *site_urlpatterns,
]

if not RUN_AS_MAIN:  # imported by gunicorn (`inquiries:application`): serve this URLconf
    settings.ROOT_URLCONF = __name__
    application = WSGIHandler()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(port: int, url: str, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", url, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _body(n: int, service: str | None) -> bytes:
    data = {
        "description": "Mit pas er udløbet, og jeg skal rejse om tre uger. Hvad gør jeg?",
        "name": "Bench Borger",
        "email": f"bench{n}@example.dk",
    }
    if service:
        data["service"] = service
    return json.dumps(data).encode()


def measure(port: int, url: str, service: str | None, seconds: float, threads: int) -> dict:
    for n in range(5):  # warm each worker's imports, index and connections
        _post(port, url, _body(n, service))
    timings: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    end = time.perf_counter() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        while time.perf_counter() < end:
            body = _body(next(counter), service)
            start = time.perf_counter()
            status = _post(port, url, body)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

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
        "p95": statistics.quantiles(timings, n=20)[-1],
        "statuses": statuses,
    }


def queries_per_request(url: str, service: str | None) -> int:
    """Database queries one request makes, counted in-process through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.post(url, _body(0, service), content_type="application/json")  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, _body(1, service), content_type="application/json")
    assert response.status_code == 201, response.content
    return len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per target")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()

    from django.core.management import call_command
    from django.db import connection

    from indgang.demo.services import demo_load
    from indgang.inquiries.models import Inquiry

    call_command("migrate", verbosity=0)
    demo_load()
    vendor = connection.vendor
    queries = [0, queries_per_request(API_PATH, "pas"), queries_per_request(API_PATH, None)]
    before = Inquiry.objects.count()
    connection.close()

    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="indgang-bench-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "inquiries:application",
            "--pythonpath",
            str(BENCH_DIR),
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print(Path(log.name).read_text(), file=sys.stderr)
                    return 1
                time.sleep(0.1)
        targets = [
            ("bare JSON view (baseline)", BARE_PATH, "pas"),
            ("API, service given", API_PATH, "pas"),
            ("API, wayfinder picks", API_PATH, None),
        ]
        rows = [
            (label, measure(port, url, service, args.seconds, args.threads))
            for label, url, service in targets
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    connection.connect()
    stored = Inquiry.objects.count() - before
    acknowledged = sum(row["statuses"].get(201, 0) for label, row in rows[1:]) + 10
    baseline = rows[0][1]
    print(
        f"{vendor}, gunicorn with {args.workers} sync workers, {args.threads} client threads, "
        f"{args.seconds:g} s per target, one new connection per request\n"
    )
    print(
        f"{'target':<27} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'× baseline time':>16} {'queries':>7} {'statuses':>10}"
    )
    for (label, row), count in zip(rows, queries, strict=True):
        statuses = ",".join(f"{code}:{count}" for code, count in sorted(row["statuses"].items()))
        print(
            f"{label:<27} {row['requests']:>8} {row['rps']:>8.1f} {row['p50']:>8.1f} "
            f"{row['p95']:>8.1f} {baseline['rps'] / row['rps']:>16.2f} {count:>7} {statuses:>10}"
        )
    print(f"\n{stored} inquiries stored for {acknowledged} acknowledged (incl. 10 warm-up).")
    Path(log.name).unlink(missing_ok=True)
    return 0 if stored == acknowledged else 1


if __name__ == "__main__":
    sys.exit(main())
