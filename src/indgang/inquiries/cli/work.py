"""`indgang inquiries work [--once] [--interval SECONDS]`: the scheduled inquiry jobs in a loop.

Each round: read the IMAP mailbox (when INQUIRY_IMAP_HOST is set), send the due outbox e-mail,
and, at most once an hour, delete what has passed its retention: inquiries (with a deletion log)
and the wayfinder's masked query log. A deployment runs this beside its web processes; several at once are safe: the
outbox claims each row with a conditional UPDATE, and mail fetched twice is skipped by its
Message-ID. One failing job is logged and does not stop the others or the loop. SIGTERM or
Ctrl+C ends the loop after the current round.
"""

import datetime as dt
import logging
import signal
import threading

from django.db import close_old_connections, connections
from django.utils import timezone

from indgang.inquiries.mail.imap import imap_configured, mail_fetch
from indgang.inquiries.mail.sending import outbox_send_due
from indgang.inquiries.privacy import inquiries_purge_expired
from indgang.visits.reminders import appointment_reminders_send
from indgang.wayfinder.services import wayfinder_query_log_prune

from .send_mail import console_warning

logger = logging.getLogger(__name__)

help = (
    "Run the scheduled inquiry jobs in a loop: read the IMAP mailbox (when configured), send due "
    "e-mail, delete inquiries whose retention has passed. Several may run at once."
)

PURGE_EVERY = dt.timedelta(hours=1)


def add_arguments(parser) -> None:
    parser.add_argument("--once", action="store_true", help="One round, then stop.")
    parser.add_argument(
        "--interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="Pause between rounds (default 60).",
    )


def _job(command, name: str, job) -> None:
    try:
        outcome = job()
    except Exception as exc:  # noqa: BLE001 - a failing job must not end the loop
        logger.exception("inquiries work: %s failed", name)
        command.stderr.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: failed: {exc}")
        return
    if getattr(outcome, "idle", False):
        return
    summary = outcome.summary() if hasattr(outcome, "summary") else ""
    if not summary and hasattr(outcome, "as_dict"):
        summary = ", ".join(f"{count} {key}" for key, count in outcome.as_dict().items() if count)
    if summary:
        command.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {summary}")


class _Pruned:
    def __init__(self, count: int):
        self.count = count

    def summary(self) -> str:
        return f"{self.count} searches older than the retention deleted" if self.count else ""


def _prune_search_log() -> _Pruned:
    return _Pruned(wayfinder_query_log_prune())


def _refresh_connections() -> None:
    """Drop database connections that broke or grew old between rounds, as Django does between
    requests. Never inside a transaction (a caller's, or a test's), which closing would end."""
    if not any(connection.in_atomic_block for connection in connections.all()):
        close_old_connections()


def work_round(command, *, purge: bool) -> None:
    _refresh_connections()
    try:
        if imap_configured():
            _job(command, "fetch-mail", mail_fetch)
        # Before send-mail, so a reminder's e-mail leaves in the same round.
        _job(command, "appointment-reminders", appointment_reminders_send)
        _job(command, "send-mail", outbox_send_due)
        if purge:
            _job(command, "purge", inquiries_purge_expired)
            _job(command, "prune-search-log", _prune_search_log)
    finally:
        _refresh_connections()


def run(command, options) -> None:
    stop = threading.Event()
    previous = {}
    if not options["once"] and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_args: stop.set())
    try:
        console_warning(command)
        if not imap_configured():
            command.stderr.write("INQUIRY_IMAP_HOST is not set: e-mail is not read.")
        _loop(command, once=options["once"], interval=options["interval"], stop=stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _loop(command, *, once: bool, interval: float, stop: threading.Event) -> None:
    last_purge: dt.datetime | None = None
    while True:
        now = timezone.now()
        purge = last_purge is None or now - last_purge >= PURGE_EVERY
        work_round(command, purge=purge)
        if purge:
            last_purge = now
        if once or stop.wait(max(0.0, interval)):
            break
