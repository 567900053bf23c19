"""Files citizens send with an inquiry: limits, and the type read from the content, not the name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024

# What the content starts with → the type it really is.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED_DESCRIPTION = gettext_lazy("PDF, JPEG, PNG, GIF, Word (.docx), Excel (.xlsx), text")


class AttachmentRejected(ValueError):
    """A file that cannot be accepted; the message is for the citizen."""


@dataclass(frozen=True)
class IncomingFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def _heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1")


def _office(data: bytes) -> str | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in _OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_content_type(data: bytes) -> str | None:
    """The type of `data` judged from its bytes, or None when it is not a type we accept."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if _heic(data):
        return "image/heic"
    office = _office(data)
    if office:
        return office
    if _text(data):
        return "text/plain"
    return None


def _clean_name(name: str) -> str:
    # Keep only the last path part and drop control characters; the name is shown, never used.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return (cleaned or "fil")[:255]


def attachments_check(files: list[IncomingFile]) -> list[CheckedFile]:
    """Every file checked, or AttachmentRejected naming the first that cannot be accepted."""
    if len(files) > MAX_FILES:
        raise AttachmentRejected(
            ngettext(
                "You can send at most %(count)d file.",
                "You can send at most %(count)d files.",
                MAX_FILES,
            )
            % {"count": MAX_FILES}
        )
    checked = []
    for incoming in files:
        name = _clean_name(incoming.name)
        if len(incoming.content) > MAX_FILE_BYTES:
            raise AttachmentRejected(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        if not incoming.content:
            raise AttachmentRejected(_("%(name)s is empty.") % {"name": name})
        content_type = sniff_content_type(incoming.content)
        if content_type is None:
            raise AttachmentRejected(
                _("%(name)s is not a file type we can receive. We take: %(types)s.")
                % {"name": name, "types": ACCEPTED_DESCRIPTION}
            )
        checked.append(
            CheckedFile(
                name=name,
                content=incoming.content,
                content_type=content_type,
                sha256=hashlib.sha256(incoming.content).hexdigest(),
            )
        )
    return checked
