"""Inquiry references: short, readable aloud, not guessable, with a check character.

    H-7K3Q-9XJ2

Eight characters from Crockford's base-32 alphabet (no I, L, O or U, so nothing is mistaken for
1, 0 or a rude word): seven random ones (35 bits from the operating system's CSPRNG) and a check
character. The check is a weighted sum modulo the prime 37 (weights 1…8): with 32 symbol values
and distinct weights every single mistyped character and every swap of two characters changes the
sum, so it is always caught. A body whose check value would be 32–36 (no symbol) is never issued. Input is read forgivingly: lower case, spaces, missing dashes,
and O/I/L typed for 0/1/1 are accepted.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "H"
_VALUE = {char: i for i, char in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^([{ALPHABET}]{{8}})$")


_MODULUS = 37
_INVERSE_OF_LAST_WEIGHT = pow(8, -1, _MODULUS)


def _check_value(body: str) -> int:
    """The value that makes sum(weight × value) over body and check divisible by 37."""
    total = sum(weight * _VALUE[char] for weight, char in enumerate(body, 1))
    return (-total * _INVERSE_OF_LAST_WEIGHT) % _MODULUS


def _format(chars: str, prefix: str = PREFIX) -> str:
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def reference_generate(prefix: str = PREFIX) -> str:
    """A new reference; `prefix` tells kinds apart (H for inquiries, T for appointments)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(7))
        check = _check_value(body)
        if check < len(ALPHABET):
            return _format(body + ALPHABET[check], prefix)


def reference_parse(text: str, prefix: str = PREFIX) -> str | None:
    """The reference in its canonical form, or None when `text` is not a valid reference."""
    text = (text or "").strip().upper()
    has_prefix = bool(re.match(rf"^{prefix}[\s\-–]", text))
    compact = re.sub(r"[\s\-–]", "", text).translate(_READ_AS)
    if has_prefix or (compact.startswith(prefix) and len(compact) == 9):
        compact = compact[1:]
    match = _SHAPE.match(compact)
    if not match:
        return None
    chars = match.group(1)
    if _check_value(chars[:7]) != _VALUE[chars[7]]:
        return None
    return _format(chars, prefix)


REFERENCE_IN_TEXT = re.compile(rf"\b{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}\b", re.IGNORECASE)


def references_in(text: str) -> list[str]:
    """Valid references written in `text` (an e-mail subject or body), in order."""
    found = []
    for candidate in REFERENCE_IN_TEXT.findall(text or ""):
        parsed = reference_parse(candidate)
        if parsed and parsed not in found:
            found.append(parsed)
    return found
