"""CSV imports into the contact statistics: self-service completions per day and service, and
call records from a phone or chat system. The formats are described in docs/insight-imports.md.

Files come from Excel as often as from systems, so both are read: UTF-8 with or without a byte
order mark (else Windows-1252, what Danish Excel writes as "CSV"), semicolons or commas, dates as
YYYY-MM-DD or DD-MM-YYYY, column names in English or Danish.

Every row is checked. A bad row is reported with its line number and why; by default one bad row
means nothing is imported (the database work is rolled back), with `skip_bad_rows` the good rows
are imported and the bad ones listed. Importing the same file again does not count anything
twice: each row's key is made from its content.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry, Service
from indgang.lib.progress import Progress
from indgang.places.models import ServicePoint, ServicePointKind

from .models import Contact, ContactChannel, ContactOutcome, ContactSource
from .services import contacts_insert_many

BATCH_SIZE = 5000
MAX_ERRORS_KEPT = 1000
# Smaller files are read before a bar would be seen.
PROGRESS_MIN_ROWS = 100
MAX_CALL_HOURS = 24
YES = frozenset({"ja", "j", "1", "true", "yes", "y", "sand"})
NO = frozenset({"nej", "n", "0", "false", "no", "falsk"})
CALL_CHANNELS = (ContactChannel.PHONE, ContactChannel.CHAT)

# Accepted column names (lower case); the first is the documented one.
SELF_SERVICE_COLUMNS = {
    "date": ("date", "dato", "dag"),
    "service": ("service", "ydelse", "kle", "kle-nummer", "kle_nummer"),
    "count": ("count", "completions", "antal", "gennemførte", "gennemforte"),
}
CALL_COLUMNS = {
    "arrival": ("arrival", "arrived", "ankomst", "ankommet", "start"),
    "answered": ("answered", "besvaret", "svaret"),
    "end": ("end", "ended", "slut", "afsluttet"),
    "abandoned": ("abandoned", "opgivet", "afbrudt", "tabt"),
    "queue": ("queue", "kø", "koe"),
    "service": ("service", "ydelse", "kle"),
}
CALL_REQUIRED = ("arrival", "answered", "end", "abandoned")

_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,6}))?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[. ]\d{3})+$")
_KLE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


class ImportRejected(Exception):
    """The file as a whole cannot be read: not CSV, no header, a required column missing."""


class RowError(ValueError):
    """One row is bad; the message says why in words a clerk understands."""


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportResult:
    read: int = 0  # data rows (blank lines not counted)
    imported: int = 0  # new contact rows
    already: int = 0  # rows imported before (self-service: their count is set to this file's)
    empty: int = 0  # self-service rows with a count of 0: nothing to record
    bad: int = 0  # bad rows
    errors: list[BadRow] = field(default_factory=list)  # the first MAX_ERRORS_KEPT of them
    committed: bool = False


# -- reading the file ---------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(header: list[str], names: dict[str, tuple[str, ...]], required) -> dict[str, int]:
    cleaned = [h.strip().strip('"').lower() for h in header]
    found = {}
    for key, aliases in names.items():
        for position, name in enumerate(cleaned):
            if name in aliases:
                found[key] = position
                break
    missing = [names[k][0] for k in required if k not in found]
    if missing:
        raise ImportRejected(
            _("The header (line 1) lacks the column(s) %(missing)s; it has: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(h for h in cleaned if h) or "-"}
        )
    return found


def _rows(path: Path, names, required) -> tuple[int, dict[str, int], Iterator[tuple[int, list]]]:
    """(number of lines after the header, column positions, (line number, fields) of each row)."""
    text = _decode(Path(path).read_bytes())
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportRejected(
            _("The file is empty or its first line is blank; line 1 must be the header.")
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = next(reader)
    columns = _columns(header, names, required)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    total = max(0, lines - 1)

    def rows() -> Iterator[tuple[int, list]]:
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            yield reader.line_num, fields

    return total, columns, rows()


def _field(fields: list[str], columns: dict[str, int], key: str) -> str:
    position = columns.get(key)
    if position is None or position >= len(fields):
        return ""
    return fields[position].strip()


# -- values -------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD, or DD-MM-YYYY with -, . or / between (as Danish Excel writes dates)."""
    match = _YMD.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _DMY.match(text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise RowError(
        _("%(value)r is not a date (YYYY-MM-DD or DD-MM-YYYY)") % {"value": text}
        if text
        else _("the date is empty")
    )


def parse_moment(text: str, tz: ZoneInfo) -> dt.datetime:
    """A date and a time of day, local time unless an offset is given (ISO 8601)."""
    if not text:
        raise RowError(_("empty"))
    if len(text) > 10 and text[4] == "-":
        try:  # the fast path for what systems export: ISO 8601, perhaps with an offset
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    date_part, _sep, clock = text.replace("T", " ", 1).partition(" ")
    match = _CLOCK.match(clock.strip())
    if match is None:
        raise RowError(
            _("%(value)r is not a date and time (YYYY-MM-DD HH:MM[:SS] or DD-MM-YYYY HH:MM[:SS])")
            % {"value": text}
        )
    day = parse_date(date_part)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise RowError(_("%(value)r has an impossible time of day") % {"value": text})
    micro = int((match[4] or "0").ljust(6, "0"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz)


def parse_count(text: str) -> int:
    cleaned = text.replace(" ", "").replace(".", "") if _THOUSANDS.match(text) else text
    if not cleaned.isdigit():
        raise RowError(
            _("the count %(value)r is not a whole number of 0 or more") % {"value": text}
            if text
            else _("the count is empty")
        )
    return int(cleaned)


def parse_yes_no(text: str) -> bool:
    value = text.lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(
        _("abandoned must be ja/nej, 1/0 or true/false, not %(value)r") % {"value": text}
        if text
        else _("abandoned is empty (ja/nej, 1/0 or true/false)")
    )


class ServiceLookup:
    """A service by slug or KLE number. A KLE number several services share is kept as the
    number alone (the statistics per KLE topic still count it)."""

    def __init__(self) -> None:
        self.by_slug: dict[str, tuple[int, str]] = {}
        by_kle: dict[str, list[int]] = {}
        for pk, slug, kle in Service.objects.values_list("pk", "slug", "kle__number"):
            self.by_slug[slug.lower()] = (pk, kle or "")
            if kle:
                by_kle.setdefault(kle, []).append(pk)
        self.by_kle = {kle: (ids[0] if len(ids) == 1 else None) for kle, ids in by_kle.items()}
        self._known_kle: dict[str, bool] = {}

    def __call__(self, text: str) -> tuple[int | None, str]:
        """(service id or None, KLE number); raises RowError for an unknown one."""
        value = text.strip()
        if _KLE.match(value):
            if value in self.by_kle:
                return self.by_kle[value], value
            if value not in self._known_kle:
                self._known_kle[value] = KleEntry.objects.filter(number=value).exists()
            if self._known_kle[value]:
                return None, value
            raise RowError(_("%(value)s is not a KLE number we know") % {"value": value})
        found = self.by_slug.get(value.lower())
        if found is None:
            raise RowError(
                _("no service has the slug or KLE number %(value)r") % {"value": value}
                if value
                else _("the service is empty")
            )
        return found


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]


# -- the two imports ----------------------------------------------------------------------------


def _run(
    *,
    path: Path,
    names,
    required,
    parse_row: Callable[[int, list[str], dict[str, int]], dict | None],
    write: Callable[[list[dict]], None],
    source: str,
    skip_bad_rows: bool,
    progress_stream: TextIO | None,
    result: ImportResult,
    label: str,
) -> ImportResult:
    total, columns, rows = _rows(path, names, required)
    before = Contact.objects.filter(source=source).count()
    batch: list[dict] = []
    valid = 0
    with transaction.atomic():
        stream = progress_stream if total >= PROGRESS_MIN_ROWS else None
        with Progress(total, stream=stream, label=label) as bar:
            for line, fields in rows:
                result.read += 1
                try:
                    row = parse_row(line, fields, columns)
                except RowError as exc:
                    result.bad += 1
                    if len(result.errors) < MAX_ERRORS_KEPT:
                        result.errors.append(BadRow(line, str(exc)))
                    row = None
                else:
                    if row is None:
                        result.empty += 1
                    else:
                        valid += 1
                # Once a row is bad and bad rows are not skipped nothing will be kept: only check.
                if row is not None and (skip_bad_rows or not result.bad):
                    batch.append(row)
                    if len(batch) >= BATCH_SIZE:
                        write(batch)
                        batch = []
                bar.update(line - 1)
        if result.bad and not skip_bad_rows:
            transaction.set_rollback(True)
            return result
        write(batch)
        result.imported = Contact.objects.filter(source=source).count() - before
        result.already = valid - result.imported
        result.committed = True
    return result


def import_self_service(
    *,
    path: Path,
    skip_bad_rows: bool = False,
    progress_stream: TextIO | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Self-service completions: one contact row per date and service, `count` completions.

    A date and service imported before gets this file's count (a corrected file replaces the old
    number rather than adding to it). Raises ImportRejected when the file cannot be read.
    """
    today = today or timezone.localdate()
    tz = ZoneInfo(settings.TIME_ZONE)
    services = ServiceLookup()
    seen: dict[str, int] = {}

    def parse_row(line: int, fields: list[str], columns: dict[str, int]) -> dict | None:
        day = parse_date(_field(fields, columns, "date"))
        if day > today:
            raise RowError(_("the date %(date)s is in the future") % {"date": day.isoformat()})
        service_id, kle = services(_field(fields, columns, "service"))
        count = parse_count(_field(fields, columns, "count"))
        key = f"{day.isoformat()}:{service_id if service_id else 'kle-' + kle}"
        if key in seen:
            raise RowError(
                _("this date and service are already on line %(line)s") % {"line": seen[key]}
            )
        seen[key] = line
        if count == 0:
            return None
        return {
            "channel": ContactChannel.SELF_SERVICE,
            "service_id": service_id,
            "kle_number": kle,
            # A day's total is dated at the start of that day, local time.
            "arrived_at": dt.datetime.combine(day, dt.time(0), tzinfo=tz),
            "outcome": ContactOutcome.COMPLETED,
            "count": count,
            "source": ContactSource.SELF_SERVICE_IMPORT,
            "source_key": key,
        }

    def write(rows: list[dict]) -> None:
        if rows:
            Contact.objects.bulk_create(
                [Contact(**row) for row in rows],
                update_conflicts=True,
                unique_fields=["source", "source_key"],
                update_fields=["count", "service", "kle_number"],
            )

    return _run(
        path=path,
        names=SELF_SERVICE_COLUMNS,
        required=("date", "service", "count"),
        parse_row=parse_row,
        write=write,
        source=ContactSource.SELF_SERVICE_IMPORT,
        skip_bad_rows=skip_bad_rows,
        progress_stream=progress_stream,
        result=ImportResult(),
        label=_("Reading"),
    )


def import_calls(
    *,
    path: Path,
    channel: str = ContactChannel.PHONE,
    skip_bad_rows: bool = False,
    progress_stream: TextIO | None = None,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Call (or chat) records: one contact per row, with waiting and handling time, served or
    abandoned. Raises ImportRejected when the file cannot be read, ValueError for a channel other
    than phone or chat."""
    if channel not in CALL_CHANNELS:
        raise ValueError(f"calls are imported as phone or chat, not {channel!r}")
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    services = ServiceLookup()
    point_kind = (
        ServicePointKind.PHONE if channel == ContactChannel.PHONE else ServicePointKind.CHAT
    )
    points = list(
        ServicePoint.objects.published().filter(kind=point_kind).values_list("pk", flat=True)[:2]
    )
    # With one phone line (or one chat) in the municipality, that is where the calls were taken.
    point_id = points[0] if len(points) == 1 else None
    occurrences: dict[str, int] = {}

    names = {"arrival": _("arrival"), "answered": _("answered"), "end": _("end")}

    def moment(fields, columns, key: str) -> dt.datetime:
        try:
            return parse_moment(_field(fields, columns, key), tz)
        except RowError as exc:
            raise RowError(f"{names[key]}: {exc}") from None

    def parse_row(line: int, fields: list[str], columns: dict[str, int]) -> dict:
        arrived = moment(fields, columns, "arrival")
        ended = moment(fields, columns, "end")
        abandoned = parse_yes_no(_field(fields, columns, "abandoned"))
        answered_text = _field(fields, columns, "answered")
        answered = moment(fields, columns, "answered") if answered_text else None
        if ended < arrived:
            raise RowError(_("the end is before the arrival"))
        if ended - arrived > dt.timedelta(hours=MAX_CALL_HOURS):
            raise RowError(
                _("the call lasts more than %(hours)s hours: check the dates")
                % {"hours": MAX_CALL_HOURS}
            )
        if arrived > now:
            raise RowError(_("the arrival is in the future"))
        if abandoned and answered is not None:
            raise RowError(_("an abandoned call has no answer time; leave answered empty"))
        if not abandoned and answered is None:
            raise RowError(_("an answered call needs its answer time (answered is empty)"))
        if answered is not None and not arrived <= answered <= ended:
            raise RowError(_("answered must lie between arrival and end"))
        queue = _field(fields, columns, "queue")
        if len(queue) > 40:
            raise RowError(_("the queue name is longer than 40 characters"))
        service_text = _field(fields, columns, "service")
        service_id, kle = services(service_text) if service_text else (None, "")
        content = _key(channel, arrived.isoformat(), answered, ended.isoformat(), abandoned, queue)
        # Two identical rows are two calls: the nth copy gets the nth key, in this and every file.
        occurrences[content] = occurrences.get(content, 0) + 1
        row = {
            "channel": channel,
            "service_id": service_id,
            "kle_number": kle,
            "service_point_id": point_id,
            "queue_code": queue,
            "arrived_at": arrived,
            "ended_at": ended,
            "source": ContactSource.PHONE_IMPORT,
            "source_key": f"{content}:{occurrences[content]}",
        }
        if abandoned:
            row.update(
                outcome=ContactOutcome.ABANDONED,
                wait_seconds=int((ended - arrived).total_seconds()),
            )
        else:
            row.update(
                outcome=ContactOutcome.SERVED,
                started_at=answered,
                wait_seconds=int((answered - arrived).total_seconds()),
                handle_seconds=int((ended - answered).total_seconds()),
            )
        return row

    return _run(
        path=path,
        names=CALL_COLUMNS,
        required=CALL_REQUIRED,
        parse_row=parse_row,
        write=lambda rows: contacts_insert_many(rows=rows),
        source=ContactSource.PHONE_IMPORT,
        skip_bad_rows=skip_bad_rows,
        progress_stream=progress_stream,
        result=ImportResult(),
        label=_("Reading"),
    )
