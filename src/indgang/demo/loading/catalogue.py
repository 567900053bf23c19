"""Services (with the service points that offer them) and life events."""

from __future__ import annotations

from typing import Any

from indgang.catalogue.models import (
    Authority,
    Department,
    KleEntry,
    LifeEvent,
    LifeEventStep,
    PublicationStatus,
    Service,
)
from indgang.places.models import ServiceOffering, ServicePoint

from ..exceptions import DemoDataError, reading
from ..records import create, sync_rows, upsert

TEXT_FIELDS = (
    "title",
    "summary",
    "about",
    "eligibility",
    "how_to",
    "self_service_url",
    "fee",
    "processing_note",
)
FLAG_FIELDS = ("by_phone", "walk_in", "by_appointment", "by_post", "sensitive")


def _handler(
    record: dict, departments: dict[str, Department], authorities: dict[str, Authority]
) -> dict[str, Any]:
    handled_by = record["handled_by"]
    if len(handled_by) != 1:
        raise DemoDataError("handled_by must name one department or one authority")
    if "department" in handled_by:
        if handled_by["department"] not in departments:
            raise DemoDataError(f"no department {handled_by['department']!r} in organisations.json")
        return {"department": departments[handled_by["department"]], "authority": None}
    if "authority" in handled_by:
        if handled_by["authority"] not in authorities:
            raise DemoDataError(f"no authority {handled_by['authority']!r} in organisations.json")
        return {"department": None, "authority": authorities[handled_by["authority"]]}
    raise DemoDataError("handled_by must have the key 'department' or 'authority'")


def _service_values(record: dict, kle: dict[str, KleEntry], departments, authorities) -> dict:
    values: dict[str, Any] = {field: record[field] for field in TEXT_FIELDS}
    values.update({field: bool(record[field]) for field in FLAG_FIELDS})
    if record["kle"] not in kle:
        raise DemoDataError(f"KLE number {record['kle']!r} is not among the loaded KLE entries")
    values["kle"] = kle[record["kle"]]
    values.update(_handler(record, departments, authorities))
    values["what_to_bring"] = "\n".join(record["what_to_bring"])
    values["keywords"] = "\n".join(record["keywords"])
    values["processing_days"] = record["processing_days"]
    values["status"] = PublicationStatus.PUBLISHED
    return values


def services_load(
    records: list[tuple[str, dict]],
    *,
    departments: dict[str, Department],
    authorities: dict[str, Authority],
    points: dict[str, ServicePoint],
) -> dict[str, Service]:
    numbers = {record.get("kle") for _, record in records}
    kle = {entry.number: entry for entry in KleEntry.objects.filter(number__in=numbers)}
    services: dict[str, Service] = {}
    offerings: dict[str, list[dict]] = {slug: [] for slug in points}
    for file_name, record in records:
        label = f"{file_name}: service {record.get('slug')!r}"
        with reading(label):
            slug = record["slug"]
            if slug in services:
                raise DemoDataError("the slug is used by another service")
            values = _service_values(record, kle, departments, authorities)
            service = upsert(Service, lookup={"slug": slug}, values=values, label=label)
            services[slug] = service
            for offer in record["offered_at"]:
                if offer["point"] not in points:
                    raise DemoDataError(f"offered at unknown service point {offer['point']!r}")
                offerings[offer["point"]].append(
                    {
                        "service": service,
                        "walk_in": bool(offer["walk_in"]),
                        "by_appointment": bool(offer["by_appointment"]),
                        "note": offer.get("note", ""),
                        "label": label,
                    }
                )
    for slug, wanted in offerings.items():
        _sync_offerings(points[slug], wanted)
    return services


def _sync_offerings(point: ServicePoint, wanted: list[dict]) -> None:
    # A demo point offers exactly the services the demo data lists for it.
    seen = set()
    for spec in wanted:
        if spec["service"].pk in seen:
            raise DemoDataError(f"{spec['label']}: offered at {point.slug!r} twice")
        seen.add(spec["service"].pk)

    def make(spec: dict) -> None:
        values = {k: v for k, v in spec.items() if k != "label"}
        create(
            ServiceOffering,
            {"service_point": point, **values},
            f"{spec['label']}: offering at {point.slug!r}",
        )

    sync_rows(
        ServiceOffering.objects.filter(service_point=point),
        wanted,
        existing_key=lambda o: (o.service_id, o.walk_in, o.by_appointment, o.note),
        wanted_key=lambda s: (s["service"].pk, s["walk_in"], s["by_appointment"], s["note"]),
        make=make,
    )


def life_events_load(records: list[dict], *, services: dict[str, Service]) -> dict[str, LifeEvent]:
    events: dict[str, LifeEvent] = {}
    for sort_order, record in enumerate(records, start=1):
        label = f"life_events.json: life event {record.get('slug')!r}"
        with reading(label):
            slug = record["slug"]
            if slug in events:
                raise DemoDataError("the slug is used by another life event")
            values = {
                "title": record["title"],
                "summary": record["summary"],
                "sort_order": sort_order,
                "status": PublicationStatus.PUBLISHED,
            }
            event = upsert(LifeEvent, lookup={"slug": slug}, values=values, label=label)
            events[slug] = event
            for position, step in enumerate(record["steps"], start=1):
                step_label = f"{label}: step {position}"
                with reading(step_label):
                    if step["service"] not in services:
                        raise DemoDataError(f"no service {step['service']!r} in the demo services")
                    upsert(
                        LifeEventStep,
                        lookup={"life_event": event, "position": position},
                        values={
                            "service": services[step["service"]],
                            "title": step["title"],
                            "text": step["text"],
                            "automatic_note": step["automatic_note"],
                        },
                        label=step_label,
                    )
            event.steps.filter(position__gt=len(record["steps"])).delete()
    return events
