"""Saving demo records: validated, and only when something changed.

Every model here keeps a change history, so saving unchanged rows on each `indgang demo` would
bury real edits under "changed by nobody" entries. Rows are therefore compared before saving.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from .exceptions import DemoDataError

M = TypeVar("M", bound=models.Model)
S = TypeVar("S")


def validate(obj: models.Model, label: str) -> None:
    """`full_clean()`, with the record named in the error."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            problems = "; ".join(
                f"{field}: {' '.join(str(m) for m in messages)}"
                for field, messages in exc.message_dict.items()
            )
        else:
            problems = " ".join(str(m) for m in exc.messages)
        raise DemoDataError(f"{label}: {problems}") from exc


def upsert(model: type[M], *, lookup: dict, values: dict, label: str) -> M:
    """Create the row that `lookup` finds, or bring it to `values`; save only on a change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        changed = True
    else:
        changed = False
        for name, value in values.items():
            # Foreign keys are compared by id, which needs no query for the related row.
            current = getattr(obj, obj._meta.get_field(name).attname)
            if current != (value.pk if isinstance(value, models.Model) else value):
                setattr(obj, name, value)
                changed = True
    if changed:
        validate(obj, label)
        obj.save()
    return obj


def create(model: type[M], values: dict, label: str) -> M:
    obj = model(**values)
    validate(obj, label)
    obj.save()
    return obj


def sync_rows(
    existing: Iterable[M],
    wanted: Iterable[S],
    *,
    existing_key: Callable[[M], Hashable],
    wanted_key: Callable[[S], Hashable],
    make: Callable[[S], object],
) -> None:
    """Make a set of rows match `wanted`: delete rows nobody wants, then make the missing ones.

    Rows are compared by key, so an unchanged set is left alone and keeps its history clean.
    Deleting first keeps unique constraints happy when a row is replaced by a changed one.
    """
    current: dict[Hashable, list[M]] = {}
    for row in existing:
        current.setdefault(existing_key(row), []).append(row)
    missing = []
    for spec in wanted:
        matches = current.get(wanted_key(spec))
        if matches:
            matches.pop()
        else:
            missing.append(spec)
    for leftovers in current.values():
        for row in leftovers:
            row.delete()
    for spec in missing:
        make(spec)
