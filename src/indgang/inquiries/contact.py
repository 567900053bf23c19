"""How a citizen can be answered: phone numbers read forgivingly, compared in one canonical form."""

from __future__ import annotations

import re

# Spaces, dashes, dots and brackets are how people write numbers, not part of them.
_SEPARATORS = re.compile(r"[\s\-.()/]")
# A Danish subscriber number has eight digits and never starts with 0 or 1 (those are service
# numbers such as 112 and 114, or prefixes).
_DANISH = re.compile(r"^(?:\+45|0045)?([2-9]\d{7})$")
# Danes abroad: any other country, written with + or 00, 8 to 15 digits in all (E.164).
_FOREIGN = re.compile(r"^(?:\+|00)([1-9]\d{7,14})$")


def phone_normalise(text: str) -> str | None:
    """`text` as +4512345678 (or +<country><number>), or None when it is not a phone number."""
    compact = _SEPARATORS.sub("", text or "")
    danish = _DANISH.match(compact)
    if danish:
        return "+45" + danish.group(1)
    foreign = _FOREIGN.match(compact)
    if foreign and not foreign.group(1).startswith("45"):
        return "+" + foreign.group(1)
    return None


def email_normalise(text: str) -> str:
    """For comparing: the address without surrounding space, case-folded."""
    return (text or "").strip().casefold()
