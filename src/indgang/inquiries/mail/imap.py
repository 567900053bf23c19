"""Read the inquiry mailbox over IMAP (settings INQUIRY_IMAP_*).

Each message not yet handled is fetched without marking it read (BODY.PEEK), taken in with
`email_ingest`, and only after that has committed is it marked in the mailbox: with "flag", \\Seen
and the keyword $Indgang (it stays in the folder, and later runs leave it alone); with "delete",
deleted and expunged. A crash between the commit and the mark means the message is fetched again
next time, and the Message-ID check skips it as already taken in, so nothing is doubled.

Automatic mail (bounces, auto-replies, our own) is flagged, never deleted, whatever the setting:
a bounce of a receipt is worth a human look. One message that cannot be read or taken in is
logged, reported and left unmarked in the mailbox; the others go on.
"""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .intake import IngestResult, Outcome, email_ingest

logger = logging.getLogger(__name__)

KEYWORD = "$Indgang"
TIMEOUT_SECONDS = 60
_UID = re.compile(rb"UID (\d+)")


class MailboxError(Exception):
    """The IMAP server refused something the fetch needs (login, folder, search)."""


@dataclass
class FetchReport:
    new: list[str] = field(default_factory=list)  # references
    joined: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # reasons
    failed: list[str] = field(default_factory=list)  # "UID n: what went wrong"

    @property
    def handled(self) -> int:
        return len(self.new) + len(self.joined) + len(self.skipped)

    @property
    def idle(self) -> bool:
        return not (self.handled or self.failed)

    def summary(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.joined)} joined, {len(self.skipped)} skipped, "
            f"{len(self.failed)} failed"
        )


def imap_configured() -> bool:
    return bool(settings.INQUIRY_IMAP_HOST)


def _connect() -> imaplib.IMAP4:
    host, port = settings.INQUIRY_IMAP_HOST, settings.INQUIRY_IMAP_PORT
    security = settings.INQUIRY_IMAP_SECURITY
    if security == "ssl":
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            host, port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_SECONDS
        )
    else:
        conn = imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)
        if security == "starttls":
            conn.starttls(ssl_context=ssl.create_default_context())
    try:
        conn.login(settings.INQUIRY_IMAP_USER, settings.INQUIRY_IMAP_PASSWORD)
    except imaplib.IMAP4.error as exc:
        _logout(conn)
        raise MailboxError(f"IMAP login as {settings.INQUIRY_IMAP_USER!r} failed: {exc}") from exc
    return conn


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _keywords_allowed(conn: imaplib.IMAP4) -> bool:
    flags = b" ".join(conn.untagged_responses.get("PERMANENTFLAGS", []) or [])
    return b"\\*" in flags or KEYWORD.encode() in flags


def _unhandled(conn: imaplib.IMAP4, *, keywords: bool) -> list[bytes]:
    criteria = ("UNDELETED", "UNKEYWORD", KEYWORD) if keywords else ("UNDELETED", "UNSEEN")
    typ, data = conn.uid("SEARCH", None, *criteria)
    if typ != "OK":
        raise MailboxError(f"IMAP search failed: {data!r}")
    return (data[0] or b"").split() if data else []


def _raw(conn: imaplib.IMAP4, uid: bytes) -> bytes | None:
    """The message's bytes, or None when it has gone (another worker took it in and deleted it)."""
    typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        raise MailboxError(f"IMAP fetch failed: {data!r}")
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def _mark_done(conn: imaplib.IMAP4, uid: bytes, result: IngestResult, *, keywords: bool) -> None:
    if settings.INQUIRY_IMAP_AFTER == "delete" and not result.automatic:
        conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        if "UIDPLUS" in conn.capabilities:
            conn.uid("EXPUNGE", uid)
        else:
            conn.expunge()
        return
    flags = rf"(\Seen {KEYWORD})" if keywords else r"(\Seen)"
    typ, data = conn.uid("STORE", uid, "+FLAGS.SILENT", flags)
    if typ != "OK":
        raise MailboxError(f"IMAP could not flag the message: {data!r}")


def _record(report: FetchReport, result: IngestResult) -> None:
    if result.outcome == Outcome.NEW:
        report.new.append(result.inquiry.reference)
    elif result.outcome == Outcome.JOINED:
        report.joined.append(result.inquiry.reference)
    else:
        report.skipped.append(result.reason)


def mail_fetch(*, limit: int = 200) -> FetchReport:
    """Take in the messages in the inquiry mailbox not handled yet (at most `limit` per run).

    Must run outside a transaction: a message is marked in the mailbox only once its inquiry is
    committed. Raises ImproperlyConfigured when IMAP is off, MailboxError (or OSError) when the
    mailbox cannot be reached; problems with single messages are in the report instead.
    """
    if not imap_configured():
        raise ImproperlyConfigured("INQUIRY_IMAP_HOST is not set: reading e-mail is off.")
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("mail_fetch must run outside a transaction, so each message commits")
    report = FetchReport()
    conn = _connect()
    try:
        typ, data = conn.select(_quoted(settings.INQUIRY_IMAP_FOLDER))
        if typ != "OK":
            raise MailboxError(f"IMAP folder {settings.INQUIRY_IMAP_FOLDER!r}: {data!r}")
        keywords = _keywords_allowed(conn)
        for uid in _unhandled(conn, keywords=keywords)[:limit]:
            label = f"UID {uid.decode()}"
            try:
                raw = _raw(conn, uid)
                if raw is None:
                    continue
                result = email_ingest(raw=raw)
            except imaplib.IMAP4.abort:
                raise  # the connection is gone: nothing more can be done in this run
            except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
                logger.exception("e-mail %s could not be taken in; it stays in the mailbox", label)
                report.failed.append(f"{label}: {exc.__class__.__name__}: {exc}")
                continue
            _record(report, result)
            # Committed: now, and only now, the mailbox may forget the message.
            try:
                _mark_done(conn, uid, result, keywords=keywords)
            except imaplib.IMAP4.abort:
                raise
            except (imaplib.IMAP4.error, MailboxError) as exc:
                logger.warning("e-mail %s was taken in but not marked: %s", label, exc)
    finally:
        _logout(conn)
    logger.info("mail fetch: %s", report.summary())
    return report
