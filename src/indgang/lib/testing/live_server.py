"""The real app server in a subprocess, on a database made for it, for tests and benchmarks.

`TempDatabase` makes a temporary SQLite file, or a temporary PostgreSQL database on the server
of `settings.DATABASES["default"]` when that is PostgreSQL, and reads it back with plain SQL.
`AppServer` runs gunicorn from the venv (`indgang.wsgi` or any WSGI path) in its own process
group on a free loopback port; `kill_group` ends master and workers together. `server_env`
builds an environment with production settings and the throttles opened wide.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

SERVER_START_TIMEOUT = 20.0
WIDE_OPEN = "10000000/minute"
THROTTLE_ENV = ("INQUIRY_RATE", "INDGANG_API_RATE", "TICKET_RATE", "APPOINTMENT_RATE")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the server's whole process group (master and workers) and wait until it is gone."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)  # workers are reaped by init once they die
        except ProcessLookupError:
            return
        time.sleep(0.02)


class TempDatabase:
    """A fresh database of the suite's kind; `close()` drops it (PostgreSQL)."""

    def __init__(self, directory: Path, prefix: str = "indgang_live_", db: dict | None = None):
        if db is None:
            from django.conf import settings

            db = settings.DATABASES["default"]
        self._drop: Callable[[], None] = lambda: None
        if db["ENGINE"] == "django.db.backends.postgresql":
            self._make_postgres(db, prefix)
        else:
            self.vendor = "sqlite"
            self.path = Path(directory) / f"{prefix}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _make_postgres(self, db: dict, prefix: str) -> None:
        import psycopg

        self.vendor = "postgresql"
        self.name = prefix + uuid.uuid4().hex[:12]
        self.server = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')

        def drop() -> None:
            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

        self._drop = drop
        credentials = quote(self.server["user"], safe="")
        if self.server["password"]:
            credentials += ":" + quote(self.server["password"], safe="")
        self.url = (
            f"postgres://{credentials}@{self.server['host']}:{self.server['port']}/{self.name}"
        )

    def read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query, on a connection of its own (`%s` placeholders on both kinds)."""
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(dbname=self.name, **self.server) as connection:
            return connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self._drop()


def server_env(directory: Path, database_url: str, **extra: str) -> dict[str, str]:
    """Production settings on `database_url`, every throttle wide open, logs at WARNING."""
    (Path(directory) / "static").mkdir(exist_ok=True)  # WhiteNoise warns about a missing root
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "INDGANG_DEMO")},
        "DJANGO_SETTINGS_MODULE": "indgang.settings.base",
        "SECRET_KEY": "live-server-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        **dict.fromkeys(THROTTLE_ENV, WIDE_OPEN),
        "STATIC_ROOT": str(Path(directory) / "static"),
        "INDGANG_HOME": str(directory),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def run_python(code: str, env: dict[str, str], cwd: Path, timeout: float = 120) -> str:
    """Run `code` with the venv's Python in `env` (e.g. migrate and seed); its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"seeding failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


class AppServer:
    """gunicorn in its own process group on a free loopback port; `stop()` kills the group."""

    def __init__(
        self,
        directory: Path,
        env: dict[str, str],
        *,
        app: str = "indgang.wsgi",
        workers: int = 2,
        threads: int = 1,
        label: str = "server",
        extra_args: tuple[str, ...] = (),
    ):
        self.port = free_port()
        self.log_path = Path(directory) / f"gunicorn-{label}.log"
        self._log = open(self.log_path, "wb")
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), app, "--workers", str(workers), "--bind"]
        command += [f"127.0.0.1:{self.port}", "--timeout", "30", *extra_args]
        if threads > 1:
            command += ["--threads", str(threads)]
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=directory,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill reaches the workers too
        )

    def wait_listening(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not listen within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.process.returncode is None:
            kill_group(self.process, sig)
        self._log.close()


def temp_directory(prefix: str) -> tuple[Path, Callable[[], None]]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    return path, lambda: shutil.rmtree(path, ignore_errors=True)
