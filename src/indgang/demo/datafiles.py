"""The demo municipality's data files, shipped inside the package (never read from elsewhere)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exceptions import DemoDataError

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE_FILES = ("services_a.json", "services_b.json")


@dataclass(frozen=True)
class DemoData:
    organisations: dict[str, list[dict[str, Any]]]
    places: dict[str, Any]
    life_events: list[dict[str, Any]]
    services: list[tuple[str, dict[str, Any]]]  # (file name, record), in file order


def read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise DemoDataError(f"{path.name}: the file is missing from {path.parent}") from None
    except json.JSONDecodeError as exc:
        raise DemoDataError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc


def demo_data_read(data_dir: Path = DATA_DIR) -> DemoData:
    services = []
    for name in SERVICE_FILES:
        records = read_json(data_dir / name)
        if not isinstance(records, list):
            raise DemoDataError(f"{name}: expected a JSON list of services")
        services.extend((name, record) for record in records)
    return DemoData(
        organisations=read_json(data_dir / "organisations.json"),
        places=read_json(data_dir / "places.json"),
        life_events=read_json(data_dir / "life_events.json"),
        services=services,
    )
