"""Mask personal data in free text before it is stored: CPR numbers, e-mail addresses, phone numbers.

Citizens type anything into a search box or an inquiry form, also their CPR number, their e-mail
address or their phone number. Text that is kept (the wayfinder's query log, later inquiries) goes
through `mask_personal_data` first, so none of those are ever stored.

A CPR-like number (DDMMYY-NNNN, DDMMYYNNNN or DDMMYY NNNN) is masked when its first six digits are a
real date, read as python-stdnum's `stdnum.dk.cpr` reads them (the seventh digit gives the century).
The modulus-11 check is deliberately not applied: numbers issued since 2007 need not pass it.
Phone numbers are Danish eight-digit numbers, optionally after +45 or 0045, written as one run,
in pairs (12 34 56 78) or as 4+4 (1234 5678). Digits inside a word or inside a longer run of digits
(an order number, an IBAN) are left alone: they are neither a CPR number nor a phone number.
"""

from __future__ import annotations

import re

from stdnum.dk import cpr
from stdnum.exceptions import ValidationError

CPR_MASK = "[cpr-nummer]"
EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[telefon]"

# Not preceded or followed by a letter, digit or underscore: digits inside words stay as they are.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
_CPR = re.compile(r"(?<!\w)(\d{6})[ -]?(\d{4})(?![\w])")
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)45 ?)?"
    r"(?:\d{8}|\d{2} \d{2} \d{2} \d{2}|\d{4} \d{4})"
    r"(?![\w])"
)


def _is_cpr_like(match: re.Match[str]) -> bool:
    try:
        cpr.get_birth_date(match.group(1) + match.group(2))
    except ValidationError:
        return False
    return True


def _mask_cpr(match: re.Match[str]) -> str:
    return CPR_MASK if _is_cpr_like(match) else match.group(0)


def mask_personal_data(text: str) -> str:
    """`text` with CPR-like numbers, e-mail addresses and phone numbers replaced by placeholders."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _CPR.sub(_mask_cpr, text)
    return _PHONE.sub(PHONE_MASK, text)
