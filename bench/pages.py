"""Time the citizen pages against the bare page layout, on the demo municipality.

    .venv/bin/python bench/pages.py [--requests 30]

Each page is requested in-process through Django's test client (no network, no server). The
baseline is the 404 page: the same layout, header, menu and footer with no catalogue or hours
work, so each ratio says what a page's own reads and rendering cost on top of the layout.
Set DATABASE_URL to measure on PostgreSQL; by default a SQLite file in /tmp is used.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/indgang-bench.sqlite3")
os.environ.setdefault("INDGANG_DEMO", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("STATIC_ROOT", "/tmp/indgang-bench-static")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indgang.demo.services import demo_load  # noqa: E402

PAGES = [
    ("layout only (404, baseline)", "/findes-ikke/"),
    ("front page", "/"),
    ("services A–Å", "/ydelser/"),
    ("services A–Å, filtered", "/ydelser/?q=pas"),
    ("service: pas", "/ydelser/pas/"),
    ("life events", "/livssituationer/"),
    ("life event: flytning", "/livssituationer/flytning/"),
    ("service points", "/betjeningssteder/"),
    ("service point: town hall", "/betjeningssteder/raadhuset/"),
    ("service point: citizen bus", "/betjeningssteder/borgerbussen/"),
    ("calendar file (90 days)", "/betjeningssteder/raadhuset/aabningstider.ics"),
]


def measure(client: Client, path: str, requests: int) -> tuple[list[float], int, int]:
    for _ in range(3):  # warm caches and template loading
        client.get(path)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return timings, len(queries), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as in production
    demo_load()
    client = Client()
    rows = [(label, path, *measure(client, path, args.requests)) for label, path in PAGES]
    baseline = statistics.median(rows[0][2])

    print(f"{connection.vendor}, {args.requests} requests per page, in-process test client\n")
    print(
        f"{'page':<30} {'status':>6} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'× layout':>9}"
    )
    for label, _path, timings, queries, status in rows:
        median = statistics.median(timings)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(
            f"{label:<30} {status:>6} {queries:>7} {median:>10.1f} {p90:>8.1f} {median / baseline:>9.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
