"""Import KL's KLE Emneplan XML files into `KleEntry` rows.

Several publications can be imported together or one after another; per entry number the newest
publication wins, and an older file never overwrites what a newer one supplied. KL's files always
carry whole main groups, so a newer file that lists a main group but not one of its entries means KL
no longer has that entry: it is marked retired, never deleted. Every file is read completely before
anything is written, and the writes share one transaction, so a bad file leaves the table untouched.
"""

from __future__ import annotations

import gzip
import html
import os
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry, KleLevel
from indgang.catalogue.models.kle import KleArchiveRetention
from indgang.lib.progress import Progress

DATA_DIR = Path(__file__).resolve().parent / "data" / "kle"
SHIPPED_KLE_FILES: list[Path] = [
    DATA_DIR / "KLE-Emneplan_Version2-0_2015-08-01.xml.gz",
    DATA_DIR / "KLE-Emneplan_2025-05-01_uddrag.xml.gz",
]

_LEVELS = {"Hovedgruppe": KleLevel.MAIN_GROUP, "Gruppe": KleLevel.GROUP, "Emne": KleLevel.TOPIC}
_PARENT_TAG = {"Hovedgruppe": "KLE-Emneplan", "Gruppe": "Hovedgruppe", "Emne": "Gruppe"}
_NUMBER = {
    "Hovedgruppe": re.compile(r"\d{2}"),
    "Gruppe": re.compile(r"\d{2}\.\d{2}"),
    "Emne": re.compile(r"\d{2}\.\d{2}\.\d{2}"),
}
# The values compared to decide whether a stored row changed; `parent` holds the parent's number.
_FIELDS = (
    "level",
    "title",
    "guidance",
    "stikord",
    "legal_references",
    "retention_archive",
    "retention_deletion",
    "created_on",
    "changed_on",
    "retired_on",
    "replaced_by",
    "source_publication",
)
_BATCH_SIZE = 500

_SELF_MARKER = re.compile(r"\s*\[\s*=?\s*(?:Hovedgruppe|Gruppe|Emne)\s*(?:\]|$)", re.IGNORECASE)
_RETIRED_WORD = re.compile(r"\[\s*udgået\s*\]$", re.IGNORECASE)
_SOFT_HYPHEN = "\u00ad"
_HTML_TAGS = {"p", "ul", "ol", "li", "br", "strong", "em", "b", "i"}


class KleImportError(Exception):
    """A file could not be imported; the message names the file."""


@dataclass(frozen=True)
class KleFileSummary:
    path: Path
    publication: date
    entries: int  # main groups, groups and emner in the file
    skipped_older: int  # entries a newer publication supplies instead


@dataclass
class KleImportResult:
    """Row counts over the whole run; each entry number is counted once, for its final state."""

    files: list[KleFileSummary] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0  # rows that became retired in this run (new rows included)

    @property
    def skipped_older(self) -> int:
        return sum(f.skipped_older for f in self.files)


@dataclass
class _ParsedFile:
    path: Path
    publication: date
    entries: dict[str, dict[str, Any]]  # number -> values for _FIELDS plus "parent"

    @property
    def main_groups(self) -> set[str]:
        return {number for number in self.entries if len(number) == 2}


def kle_import(*, paths: Sequence[Path], progress_stream: TextIO | None = None) -> KleImportResult:
    if not paths:
        raise KleImportError(_("No KLE files were given."))
    parsed = [_parse_file(Path(path), progress_stream) for path in paths]
    # Oldest first, so a newer publication is applied last; equal dates keep the argument order.
    parsed.sort(key=lambda f: f.publication)
    with transaction.atomic():
        stored = {row["number"]: row for row in _stored_rows()}
        desired = {number: dict(row) for number, row in stored.items()}
        touched: set[str] = set()
        result = KleImportResult()
        for parsed_file in parsed:
            _merge(parsed_file, desired, touched)
        for parsed_file in parsed:
            result.files.append(_summary(parsed_file, desired))
        _write(stored, desired, touched, result, progress_stream)
    return result


def kle_import_shipped(*, progress_stream: TextIO | None = None) -> KleImportResult:
    return kle_import(paths=SHIPPED_KLE_FILES, progress_stream=progress_stream)


def clean_stikord(texts: Iterable[str | None]) -> list[str]:
    """KL's index words without retired words and self-markers, de-duplicated, in KL's order.

    A word ending in "[udgået]" is retired. "[=Emne]", "[=Gruppe]" and "[=Hovedgruppe]" (also
    without "=" or the closing bracket) only mark the entry's own title; other brackets, such as
    "[udgår 2026]", are information and stay.
    """
    words: list[str] = []
    seen: set[str] = set()
    for text in texts:
        word = _clean_text(text)
        if not word or _RETIRED_WORD.search(word):
            continue
        word = _SELF_MARKER.sub("", word).strip()
        key = word.casefold()
        if word and key not in seen:
            seen.add(key)
            words.append(word)
    return words


def _merge(parsed: _ParsedFile, desired: dict[str, dict[str, Any]], touched: set[str]) -> None:
    publication = parsed.publication
    # A main group stored from a newer publication tells which of its entries KL still had then.
    covered_since = {
        number: desired[number]["source_publication"]
        for number in parsed.main_groups
        if number in desired and desired[number]["source_publication"] > publication
    }
    for number, entry in parsed.entries.items():
        current = desired.get(number)
        if current is not None and current["source_publication"] > publication:
            continue
        entry = dict(entry)
        newer = covered_since.get(number[:2])
        if newer is not None and entry["retired_on"] is None:
            entry["retired_on"] = newer
        desired[number] = entry
        touched.add(number)
    main_groups = parsed.main_groups
    for number, entry in desired.items():
        if (
            len(number) > 2
            and number[:2] in main_groups
            and number not in parsed.entries
            and entry["source_publication"] < publication
            and entry["retired_on"] is None
        ):
            entry["retired_on"] = publication
            touched.add(number)


def _summary(parsed: _ParsedFile, desired: dict[str, dict[str, Any]]) -> KleFileSummary:
    newer = sum(
        1 for number in parsed.entries if desired[number]["source_publication"] > parsed.publication
    )
    return KleFileSummary(
        path=parsed.path,
        publication=parsed.publication,
        entries=len(parsed.entries),
        skipped_older=newer,
    )


def _stored_rows() -> list[dict[str, Any]]:
    rows = KleEntry.objects.values("id", "number", "parent__number", *_FIELDS)
    return [{**row, "parent": row.pop("parent__number")} for row in rows]


def _write(
    stored: dict[str, dict[str, Any]],
    desired: dict[str, dict[str, Any]],
    touched: set[str],
    result: KleImportResult,
    progress_stream: TextIO | None,
) -> None:
    new: list[str] = []
    changed: list[str] = []
    for number in touched:
        after, before = desired[number], stored.get(number)
        if before is None:
            new.append(number)
        elif any(after[name] != before[name] for name in (*_FIELDS, "parent")):
            changed.append(number)
        else:
            result.unchanged += 1
        if after["retired_on"] is not None and (before is None or before["retired_on"] is None):
            result.retired += 1
    result.created, result.updated = len(new), len(changed)

    ids = {number: row["id"] for number, row in stored.items()}
    with Progress(len(new) + len(changed), stream=progress_stream, label=_("Saving")) as bar:
        # Parents before children, so every parent has an id when its children are created.
        for level_length in (2, 5, 8):
            rows = [_instance(n, desired[n], ids) for n in sorted(new) if len(n) == level_length]
            for batch in _batches(rows):
                KleEntry.objects.bulk_create(batch)
                bar.advance(len(batch))
            created = KleEntry.objects.filter(number__in=[row.number for row in rows])
            ids.update(created.values_list("number", "id"))
        # One UPDATE per changed row, of the changed columns only: building bulk_update's CASE
        # expressions took Django about 20 s for the 1,000 rows the 2025 extract changes.
        for number in sorted(changed):
            after, before = desired[number], stored[number]
            values = {name: after[name] for name in _FIELDS if after[name] != before[name]}
            if after["parent"] != before["parent"]:
                values["parent_id"] = ids[after["parent"]] if after["parent"] else None
            KleEntry.objects.filter(pk=before["id"]).update(**values)
            bar.advance()


def _instance(number: str, values: dict[str, Any], ids: dict[str, int]) -> KleEntry:
    parent = values["parent"]
    return KleEntry(
        number=number,
        parent_id=ids[parent] if parent else None,
        **{name: values[name] for name in _FIELDS},
    )


def _batches(rows: list[KleEntry]) -> Iterable[list[KleEntry]]:
    for start in range(0, len(rows), _BATCH_SIZE):
        yield rows[start : start + _BATCH_SIZE]


# Reading files


class _CountingReader:
    """Reports bytes read from the file on disk, so gzip files show progress too."""

    def __init__(self, raw: IO[bytes], bar: Progress) -> None:
        self._raw, self._bar = raw, bar

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._bar.advance(len(data))
        return data


def _parse_file(path: Path, progress_stream: TextIO | None) -> _ParsedFile:
    name = path.name
    try:
        raw = path.open("rb")
    except OSError as exc:
        message = _("%(name)s: the file cannot be read (%(error)s).")
        # The whole path as given: a missing file is most often a wrong directory.
        raise KleImportError(message % {"name": path, "error": exc.strerror}) from exc
    with raw:
        is_gzip = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        with Progress(os.fstat(raw.fileno()).st_size, stream=progress_stream, label=name) as bar:
            source: Any = _CountingReader(raw, bar)
            if is_gzip:
                source = gzip.GzipFile(fileobj=source, mode="rb")
            try:
                publication, entries = _read_plan(name, source)
            except ET.ParseError as exc:
                message = _("%(name)s: not a well-formed XML file (%(error)s).")
                raise KleImportError(message % {"name": name, "error": exc}) from exc
            except (OSError, EOFError, zlib.error) as exc:
                message = _("%(name)s: not a readable gzip file (%(error)s).")
                raise KleImportError(message % {"name": name, "error": exc}) from exc
    return _ParsedFile(path=path, publication=publication, entries=entries)


def _read_plan(name: str, source: Any) -> tuple[date, dict[str, dict[str, Any]]]:
    publication: date | None = None
    entries: dict[str, dict[str, Any]] = {}
    stack: list[ET.Element] = []
    for event, element in ET.iterparse(source, events=("start", "end")):
        if event == "start":
            if not stack and element.tag != "KLE-Emneplan":
                raise KleImportError(
                    _("%(name)s: not a KLE Emneplan file (the root element is <%(tag)s>).")
                    % {"name": name, "tag": element.tag}
                )
            if element.tag in _LEVELS and publication is None:
                raise KleImportError(_missing_publication(name))
            stack.append(element)
            continue
        stack.pop()
        if element.tag == "UdgivelsesDato" and len(stack) == 1:
            publication = _date(name, "UdgivelsesDato", element.text, required=True)
        elif element.tag in _LEVELS:
            number, entry = _read_entry(name, element, stack[-1], publication)
            if number in entries:
                raise KleImportError(
                    _("%(name)s: entry %(number)s occurs twice.") % {"name": name, "number": number}
                )
            entries[number] = entry
            # Streaming: an entry's children are no longer needed once it has been read.
            element.clear()
    if publication is None:
        raise KleImportError(_missing_publication(name))
    if not entries:
        raise KleImportError(_("%(name)s: the file has no KLE entries.") % {"name": name})
    _inherit_retirement(entries)
    return publication, entries


def _read_entry(
    name: str, element: ET.Element, parent: ET.Element, publication: date | None
) -> tuple[str, dict[str, Any]]:
    tag = element.tag
    number = (element.findtext(f"{tag}Nr") or "").strip()
    if parent.tag != _PARENT_TAG[tag]:
        raise KleImportError(
            _("%(name)s: a <%(tag)s> (%(number)s) is inside <%(parent)s>.")
            % {"name": name, "tag": tag, "number": number, "parent": parent.tag}
        )
    if not _NUMBER[tag].fullmatch(number):
        raise KleImportError(
            _("%(name)s: a <%(tag)s> has no valid number (found %(number)r).")
            % {"name": name, "tag": tag, "number": number}
        )
    parent_number = None
    if tag != "Hovedgruppe":
        parent_number = (parent.findtext(f"{parent.tag}Nr") or "").strip()
        if number[: len(parent_number)] != parent_number or len(number) != len(parent_number) + 3:
            raise KleImportError(
                _("%(name)s: entry %(number)s is filed under %(parent)s.")
                % {"name": name, "number": number, "parent": parent_number}
            )
    title = _clean_text(element.findtext(f"{tag}Titel"))
    if not title:
        raise KleImportError(
            _("%(name)s: entry %(number)s has no title.") % {"name": name, "number": number}
        )
    admin = element.find(f"{tag}AdministrativInfo")
    history = admin.find("Historisk") if admin is not None else None
    moved = history.find("Flyttet") if history is not None else None

    def when(path: str, parent_element: ET.Element | None) -> date | None:
        text = parent_element.findtext(path) if parent_element is not None else None
        return _date(name, f"{number} {path}", text)

    archive = (element.findtext("BevaringJaevnfoerArkivloven") or "").strip().upper()
    return number, {
        "level": _LEVELS[tag],
        "parent": parent_number,
        "title": title,
        "guidance": _guidance_html(element.find(f"{tag}Vejledning/VejledningTekst")),
        "stikord": clean_stikord(
            child.findtext("Tekst") for child in element if child.tag.endswith("Stikord")
        ),
        "legal_references": [
            _legal_reference(ref) for ref in element.findall(f"{tag}RetskildeReference")
        ],
        # KL writes "tom" (empty) for entries without advice.
        "retention_archive": archive if archive in KleArchiveRetention.values else "",
        "retention_deletion": (element.findtext("SletningJaevnfoerPersondataloven") or "").strip(),
        "created_on": when("OprettetDato", admin),
        "changed_on": when("RettetDato", admin),
        "retired_on": when("UdgaaetDato", history) or when("FlyttetDato", moved),
        "replaced_by": _replaced_by(moved),
        "source_publication": publication,
    }


def _inherit_retirement(entries: dict[str, dict[str, Any]]) -> None:
    """An entry under a retired group is retired with it, even where KL gives the child no date."""
    for number in sorted(entries, key=len):
        entry, parent = entries[number], entries.get(entries[number]["parent"] or "")
        if parent is not None and parent["retired_on"] and not entry["retired_on"]:
            entry["retired_on"] = parent["retired_on"]


def _replaced_by(moved: ET.Element | None) -> str:
    if moved is None:
        return ""
    for successor in moved.iterfind("AfloestAf/*"):
        if successor.tag in ("EmneNr", "GruppeNr", "HovedgruppeNr") and successor.text:
            return successor.text.strip()
    return ""


def _legal_reference(ref: ET.Element) -> dict[str, str]:
    return {
        "title": _clean_text(ref.findtext("RetskildeTitel")),
        "paragraph": _clean_text(ref.findtext("ParagrafEllerKapitel")),
        "accession_number": _clean_text(ref.findtext("RetsinfoAccessionsNr")),
        "url": _clean_text(ref.findtext("RetsinfoURL")),
    }


def _guidance_html(element: ET.Element | None) -> str:
    """The inner markup of a VejledningTekst as HTML: KL's tags only, text escaped."""
    if element is None:
        return ""
    out: list[str] = []
    _html_inner(element, out)
    lines = (line.strip() for line in "".join(out).splitlines())
    return "\n".join(line for line in lines if line)


def _html_inner(element: ET.Element, out: list[str]) -> None:
    out.append(html.escape(element.text or "", quote=False))
    for child in element:
        _html_element(child, out)
        out.append(html.escape(child.tail or "", quote=False))


def _html_element(element: ET.Element, out: list[str]) -> None:
    tag = element.tag
    only_lists = (
        len(element) > 0
        and not (element.text or "").strip()
        and all(c.tag in ("ul", "ol") and not (c.tail or "").strip() for c in element)
    )
    if tag not in _HTML_TAGS or (tag == "p" and only_lists):
        # KL wraps lists in <p>, which HTML does not allow; unknown tags keep only their text.
        _html_inner(element, out)
    elif tag == "br":
        out.append("<br>")
    else:
        out.append(f"<{tag}>")
        _html_inner(element, out)
        out.append(f"</{tag}>")


def _clean_text(text: str | None) -> str:
    return " ".join((text or "").replace(_SOFT_HYPHEN, "").split())


def _date(name: str, what: str, text: str | None, *, required: bool = False) -> date | None:
    value = (text or "").strip()
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        if not value:
            raise KleImportError(_missing_publication(name)) from exc
        raise KleImportError(
            _("%(name)s: %(what)s is not a date (found %(value)r).")
            % {"name": name, "what": what, "value": value}
        ) from exc


def _missing_publication(name: str) -> str:
    return _("%(name)s: not a KLE Emneplan file (no UdgivelsesDato before the first entry).") % {
        "name": name
    }
