"""Submissions under load while the app server is killed: every acknowledged reference survives.

The real app server (gunicorn from the venv, `indgang.wsgi`, two workers, production settings)
runs as a subprocess in its own process group on a free loopback port, on a database made for
this test: a temporary SQLite file, or a temporary PostgreSQL database when the suite runs on
PostgreSQL. Several client threads POST inquiries to /api/v1/inquiries/; in the middle of the
load the whole process group gets SIGKILL (no graceful shutdown, requests in flight), the server
is started again, and the load goes on a little. Afterwards the database is read directly: every
reference that was answered with 201 must be there, complete (its first message and its
"received" event), and no inquiry may be half-written. Requests that failed while the server was
down are counted, not judged; so are inquiries committed whose 201 was lost in the kill.

Set DURABILITY_REPORT=1 to print the counts.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.test import SimpleTestCase, tag

CLIENT_THREADS = 6
# Each phase lasts its seconds and, on a busy machine, longer until the server has acknowledged
# this many submissions (bounded by PHASE_TIMEOUT), so the kill always hits a server under load.
LOAD_BEFORE_KILL, ACKS_BEFORE_KILL = 2.0, 20
LOAD_AFTER_RESTART, ACKS_AFTER_RESTART = 1.5, 5
PHASE_TIMEOUT = 6.0
SERVER_START_TIMEOUT = 20.0
SERVICE_SLUG = "pas"

SEED = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from indgang.catalogue.tests.factories import ServiceFactory
ServiceFactory(slug={SERVICE_SLUG!r}, title="Pas", keywords="pas, rejsepas")
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the server's whole process group (master and workers) and wait until it is gone."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)  # workers are reaped by init once they die
        except ProcessLookupError:
            return
        time.sleep(0.02)


@dataclass
class Load:
    """What the client threads saw: acknowledged references, and everything else counted."""

    acknowledged: list[tuple[float, str]] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, reference: str) -> None:
        with self.lock:
            self.acknowledged.append((time.monotonic(), reference))

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1

    def acked_between(self, start: float, end: float) -> int:
        with self.lock:
            return sum(1 for at, _ in self.acknowledged if start <= at < end)


@tag("durability")
class SubmissionDurabilityTests(SimpleTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="indgang-durability-"))
        self.addCleanup(self._remove_tmp)
        self.vendor, self.database_url, self.read = self._make_database()
        self.port = free_port()
        (self.tmp / "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "INDGANG_DEMO")},
            "DJANGO_SETTINGS_MODULE": "indgang.settings.base",
            "SECRET_KEY": "durability-test-" + uuid.uuid4().hex,
            "DATABASE_URL": self.database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "INQUIRY_RATE": "100000/minute",
            "INDGANG_API_RATE": "100000/minute",
            "STATIC_ROOT": str(self.tmp / "static"),
            "INDGANG_HOME": str(self.tmp),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        subprocess.run(
            [sys.executable, "-c", SEED],
            env=self.env,
            cwd=self.tmp,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def _remove_tmp(self) -> None:
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)

    # The database --------------------------------------------------------------------------

    def _make_database(self):
        db = settings.DATABASES["default"]
        if db["ENGINE"] == "django.db.backends.postgresql":
            return self._make_postgres(db)
        path = self.tmp / "durability.sqlite3"

        def read(sql: str) -> list[tuple]:
            with sqlite3.connect(path, timeout=30) as connection:
                return connection.execute(sql).fetchall()

        return "sqlite", f"sqlite:///{path}", read

    def _make_postgres(self, db: dict):
        import psycopg

        name = "indgang_durability_" + uuid.uuid4().hex[:12]
        server = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)

        def read(sql: str) -> list[tuple]:
            with psycopg.connect(dbname=name, **server) as connection:
                return connection.execute(sql).fetchall()

        credentials = quote(server["user"], safe="")
        if server["password"]:
            credentials += ":" + quote(server["password"], safe="")
        url = f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
        return "postgresql", url, read

    # The server ----------------------------------------------------------------------------

    def start_server(self, label: str) -> subprocess.Popen:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        log = open(self.tmp / f"gunicorn-{label}.log", "wb")  # closed in cleanup
        self.addCleanup(log.close)
        process = subprocess.Popen(
            [
                str(gunicorn),
                "indgang.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
            ],
            env=self.env,
            cwd=self.tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so SIGKILL reaches the workers too
        )
        self.addCleanup(kill_group, process)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.fail(f"gunicorn exited with {process.returncode}:\n{self.server_log(label)}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return process
            except OSError:
                time.sleep(0.05)
        self.fail(
            f"gunicorn did not listen within {SERVER_START_TIMEOUT}s:\n{self.server_log(label)}"
        )

    def server_log(self, label: str) -> str:
        path = self.tmp / f"gunicorn-{label}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # The load ------------------------------------------------------------------------------

    def submit_loop(self, number: int, load: Load, stop: threading.Event) -> None:
        sent = 0
        while not stop.is_set():
            sent += 1
            body = {
                "description": f"Mit pas er udløbet, hvad gør jeg? (klient {number}, nr. {sent})",
                "email": f"borger{number}.{sent}@example.dk",
            }
            if sent % 2:
                body["service"] = SERVICE_SLUG
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                connection.request(
                    "POST",
                    "/api/v1/inquiries/",
                    body=json.dumps(body).encode(),
                    headers={"Content-Type": "application/json", "Accept": "application/json"},
                )
                response = connection.getresponse()
                payload = response.read()
                if response.status == 201:
                    load.ack(json.loads(payload)["reference"])
                else:
                    load.fail(f"HTTP {response.status}")
                    if response.status != 503:
                        time.sleep(0.01)
            except (OSError, http.client.HTTPException) as error:
                load.fail(type(error).__name__)
                time.sleep(0.02)  # the server is down: do not spin
            finally:
                connection.close()

    @staticmethod
    def keep_loading(load: Load, since: float, seconds: float, acks: int) -> None:
        time.sleep(seconds)
        deadline = since + seconds + PHASE_TIMEOUT
        while load.acked_between(since, time.monotonic()) < acks and time.monotonic() < deadline:
            time.sleep(0.05)

    def test_every_acknowledged_submission_survives_a_sigkill_of_the_server(self):
        load, stop = Load(), threading.Event()
        first = self.start_server("first")
        threads = [
            threading.Thread(target=self.submit_loop, args=(n, load, stop), daemon=True)
            for n in range(CLIENT_THREADS)
        ]
        self.addCleanup(stop.set)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        self.keep_loading(load, started, LOAD_BEFORE_KILL, ACKS_BEFORE_KILL)
        killed_at = time.monotonic()
        kill_group(first)
        second = self.start_server("second")
        restarted_at = time.monotonic()
        self.keep_loading(load, restarted_at, LOAD_AFTER_RESTART, ACKS_AFTER_RESTART)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        kill_group(second)

        acknowledged = [reference for _, reference in load.acknowledged]
        before = load.acked_between(started, killed_at)
        after = load.acked_between(restarted_at, float("inf"))
        stored = {
            reference for (reference,) in self.read("SELECT reference FROM inquiries_inquiry")
        }
        missing = sorted(set(acknowledged) - stored)
        incomplete = self.read(
            "SELECT i.reference FROM inquiries_inquiry i WHERE NOT EXISTS "
            "(SELECT 1 FROM inquiries_inquirymessage m WHERE m.inquiry_id = i.id) OR NOT EXISTS "
            "(SELECT 1 FROM inquiries_inquiryevent e WHERE e.inquiry_id = i.id)"
        )
        summary = (
            f"{self.vendor}: {len(acknowledged)} acknowledged ({before} before the kill, {after} "
            f"after the restart), {len(stored)} stored, {len(stored - set(acknowledged))} "
            f"committed without a 201 reaching the client, failures: {dict(load.failures)}"
        )
        if os.environ.get("DURABILITY_REPORT"):
            print("\n" + summary, file=sys.stderr)

        self.assertGreater(before, 0, summary + "\n" + self.server_log("first"))
        self.assertGreater(after, 0, summary + "\n" + self.server_log("second"))
        self.assertEqual(len(acknowledged), len(set(acknowledged)), "a reference was given twice")
        # Killing the server breaks connections; it must never turn into an error answer.
        server_errors = {k: n for k, n in load.failures.items() if k.startswith("HTTP 5")}
        self.assertEqual(server_errors, {}, summary + "\n" + self.server_log("second"))
        self.assertEqual(missing, [], summary)
        self.assertEqual(incomplete, [], summary)
