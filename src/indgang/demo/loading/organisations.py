from __future__ import annotations

from typing import Any

from indgang.catalogue.models import Authority, Department

from ..exceptions import DemoDataError, reading
from ..records import upsert

FILE = "organisations.json"
TEXT_FIELDS = ("description", "phone", "phone_hours", "email", "website", "address")


def _load(model, records: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    loaded = {}
    for record in records:
        label = f"{FILE}: {kind} {record.get('slug')!r}"
        with reading(label):
            values = {"name": record["name"], **{f: record.get(f, "") for f in TEXT_FIELDS}}
            slug = record["slug"]
        if slug in loaded:
            raise DemoDataError(f"{label}: the slug is used twice")
        loaded[slug] = upsert(model, lookup={"slug": slug}, values=values, label=label)
    return loaded


def organisations_load(
    data: dict[str, list[dict[str, Any]]],
) -> tuple[dict[str, Department], dict[str, Authority]]:
    with reading(FILE):
        departments = _load(Department, data["departments"], "department")
        authorities = _load(Authority, data["authorities"], "authority")
    return departments, authorities
