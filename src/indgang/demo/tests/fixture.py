"""A tiny demo municipality on disk, so the loader can be tested apart from the shipped data."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from indgang.catalogue.tests.factories import KleEntryFactory

KLE_NUMBERS = ("23.09.02", "32.06.00")

BASE: dict[str, Any] = {
    "organisations.json": {
        "departments": [
            {
                "slug": "borgerservice",
                "name": "Borgerservice",
                "description": "Kommunens indgang.",
                "phone": "72 34 50 00",
                "phone_hours": "Mandag–fredag kl. 9–15",
                "email": "borgerservice@fjordby.dk",
                "website": "",
                "address": "Rådhustorvet 1",
            }
        ],
        "authorities": [
            {
                "slug": "udbetaling-danmark",
                "name": "Udbetaling Danmark",
                "description": "",
                "phone": "",
                "phone_hours": "",
                "email": "",
                "website": "https://www.borger.dk",
                "address": "",
            }
        ],
    },
    "places.json": {
        "closing_days": [
            {"name": "Grundlovsdag", "month": 6, "day": 5},
            {"name": "Fredag efter Kristi himmelfartsdag", "easter_offset": 40},
        ],
        "points": [
            {
                "slug": "raadhuset",
                "name": "Borgerservice, Fjordby Rådhus",
                "kind": "town_hall",
                "summary": "Rådhuset.",
                "street_address": "Rådhustorvet 1",
                "postcode": "7690",
                "city": "Fjordby",
                "latitude": 56.6212,
                "longitude": 9.231,
                "directions": "",
                "phone": "72 34 50 00",
                "email": "",
                "chat_url": "",
                "step_free_access": True,
                "parking": True,
                "disabled_parking": True,
                "public_transport": "Bus 1",
                "hearing_loop": True,
                "private_room": True,
                "self_service_pcs": 4,
                "accessibility_note": "",
                "follows_public_holidays": True,
                "sort_order": 1,
                "published": True,
                "hours": [
                    {"days": ["monday", "tuesday"], "opens": "10:00", "closes": "14:00"},
                    {"days": ["thursday"], "opens": "10:00", "closes": "17:30"},
                ],
                "summer_hours": [{"days": ["monday"], "opens": "10:00", "closes": "13:00"}],
                "exceptions": [
                    {
                        "starts": {
                            "rule": "nth_weekday_of_month",
                            "n": 1,
                            "weekday": "wednesday",
                            "months_ahead": 1,
                        },
                        "closed": True,
                        "note": "Lukket for personaledag.",
                    },
                    {
                        "starts": {
                            "rule": "weekday_in_weeks",
                            "weekday": "friday",
                            "weeks_ahead": 2,
                        },
                        "periods": [["10:00", "12:00"]],
                        "note": "Kort åbent.",
                    },
                ],
            },
            {
                "slug": "borgerbussen",
                "name": "Borgerbussen",
                "kind": "citizen_bus",
                "summary": "",
                "street_address": "",
                "postcode": "",
                "city": "",
                "latitude": None,
                "longitude": None,
                "directions": "",
                "phone": "",
                "email": "",
                "chat_url": "",
                "step_free_access": False,
                "parking": True,
                "disabled_parking": False,
                "public_transport": "",
                "hearing_loop": False,
                "private_room": True,
                "self_service_pcs": 2,
                "accessibility_note": "Lift.",
                "follows_public_holidays": True,
                "sort_order": 2,
                "published": True,
                "stops": [
                    {
                        "name": "Lille Vejby Brugs",
                        "street_address": "Bygaden 14",
                        "postcode": "7693",
                        "city": "Lille Vejby",
                        "latitude": 56.6521,
                        "longitude": 9.1183,
                        "sort_order": 1,
                        "times": [{"days": ["tuesday"], "opens": "10:00", "closes": "12:00"}],
                    }
                ],
                "exceptions": [
                    {
                        "starts": {
                            "rule": "weekday_in_weeks",
                            "weekday": "tuesday",
                            "weeks_ahead": 3,
                        },
                        "stop": "Lille Vejby Brugs",
                        "closed": True,
                        "note": "Vejarbejde.",
                    }
                ],
            },
        ],
    },
    "services_a.json": [
        {
            "slug": "pas",
            "title": "Pas",
            "kle": "23.09.02",
            "handled_by": {"department": "borgerservice"},
            "summary": "Du søger pas i Borgerservice.",
            "about": "",
            "eligibility": "",
            "how_to": "",
            "self_service_url": "",
            "by_phone": False,
            "walk_in": False,
            "by_appointment": True,
            "by_post": False,
            "what_to_bring": ["Dit gamle pas", "Et foto"],
            "fee": "",
            "processing_days": 21,
            "processing_note": "Cirka 3 uger.",
            "sensitive": False,
            "keywords": ["pas", "rejse"],
            "offered_at": [
                {"point": "raadhuset", "walk_in": False, "by_appointment": True, "note": ""}
            ],
        }
    ],
    "services_b.json": [
        {
            "slug": "boligstoette",
            "title": "Boligstøtte",
            "kle": "32.06.00",
            "handled_by": {"authority": "udbetaling-danmark"},
            "summary": "Tilskud til huslejen.",
            "about": "",
            "eligibility": "",
            "how_to": "",
            "self_service_url": "https://www.borger.dk",
            "by_phone": True,
            "walk_in": False,
            "by_appointment": False,
            "by_post": False,
            "what_to_bring": [],
            "fee": "",
            "processing_days": None,
            "processing_note": "",
            "sensitive": True,
            "keywords": [],
            "offered_at": [
                {
                    "point": "borgerbussen",
                    "walk_in": True,
                    "by_appointment": False,
                    "note": "Hjælp til at søge",
                }
            ],
        }
    ],
    "life_events.json": [
        {
            "slug": "flytning",
            "title": "Når du flytter",
            "summary": "Husk det her.",
            "steps": [
                {
                    "service": "pas",
                    "title": "Første skridt",
                    "text": "Gør sådan.",
                    "automatic_note": "Det sker af sig selv.",
                },
                {
                    "service": "boligstoette",
                    "title": "Andet skridt",
                    "text": "",
                    "automatic_note": "",
                },
            ],
        }
    ],
}


def fixture_data() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def fixture_write(directory: Path, data: dict[str, Any] | None = None) -> Path:
    for name, content in (data or BASE).items():
        (directory / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return directory


def kle_entries_create() -> None:
    for number in KLE_NUMBERS:
        KleEntryFactory(number=number)
