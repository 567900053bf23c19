"""Inline SVG drawn on the server from the data: a map of a placement and bar charts with error
bars. Templates render the geometry these functions compute; there are no tiles and no script.

Every chart is an `<svg role="img">` with a title, and the page shows the same numbers in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .placement import Cell, Site, project

MAP_MARGIN_KM = 2.0
MAX_MAP_SQUARES = 5000


@dataclass(frozen=True)
class MapFrame:
    """The common frame of the maps on one page, so that placements compare at the same scale."""

    centre: tuple[float, float]
    x: float
    y: float
    width: float
    height: float

    @property
    def view_box(self) -> str:
        return f"{self.x:.2f} {self.y:.2f} {self.width:.2f} {self.height:.2f}"

    @property
    def font_km(self) -> float:
        return max(self.width, self.height) / 45

    @property
    def scale_bar_km(self) -> int:
        """A round length for the scale bar: about a fifth of the width."""
        for km in (1, 2, 5, 10, 20, 50, 100):
            if km >= self.width / 6:
                return km
        return 100


def map_frame(cells: Sequence[Cell], sites: Sequence[Site], *, cell_km: float = 1.0) -> MapFrame:
    """The frame around all cells and sites, centred on the middle of their bounding box."""
    coords = [(c.lat, c.lon) for c in cells] + [(s.lat, s.lon) for s in sites]
    if not coords:
        return MapFrame(centre=(0.0, 0.0), x=-10, y=-10, width=20, height=20)
    lats = [lat for lat, _lon in coords]
    lons = [lon for _lat, lon in coords]
    centre = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    xy = [project(lat, lon, centre) for lat, lon in coords]
    margin = MAP_MARGIN_KM + cell_km
    x0 = min(x for x, _y in xy) - margin
    x1 = max(x for x, _y in xy) + margin
    y0 = min(y for _x, y in xy) - margin
    y1 = max(y for _x, y in xy) + margin
    return MapFrame(centre=centre, x=x0, y=y0, width=x1 - x0, height=y1 - y0)


def map_drawing(
    frame: MapFrame,
    cells: Sequence[Cell],
    sites: Sequence[Site],
    *,
    cell_km: float,
    circle_km: float,
) -> dict:
    """Squares shaded by population, markers with labels and coverage circles, in km.

    A grid with more than MAX_MAP_SQUARES cells is drawn with coarser squares (their population
    summed), so that a large import does not make a page of many megabytes.
    """
    points = [(*project(c.lat, c.lon, frame.centre), c.population) for c in cells]
    factor = max(1, math.ceil(math.sqrt(len(points) / MAX_MAP_SQUARES)))
    if factor > 1:
        cell_km *= factor
        binned: dict[tuple[int, int], int] = {}
        for x, y, people in points:
            key = (math.floor(x / cell_km), math.floor(y / cell_km))
            binned[key] = binned.get(key, 0) + people
        points = [((i + 0.5) * cell_km, (j + 0.5) * cell_km, p) for (i, j), p in binned.items()]
    top = max((p for _x, _y, p in points), default=0) or 1
    half = cell_km / 2
    squares = []
    for x, y, population in points:
        # A square root scale, so that villages remain visible beside the town.
        squares.append(
            {
                "x": round(x - half, 3),
                "y": round(y - half, 3),
                "size": round(cell_km, 3),
                "opacity": round(0.08 + 0.82 * (population / top) ** 0.5, 3),
            }
        )
    markers = []
    for number, site in enumerate(sites, start=1):
        x, y = project(site.lat, site.lon, frame.centre)
        markers.append(
            {
                "number": number,
                "name": site.name,
                "kind": site.kind,
                "x": round(x, 3),
                "y": round(y, 3),
                "label_y": round(y + frame.font_km * 0.35, 3),
                "name_x": round(x + frame.font_km * 1.1, 3),
            }
        )
    bar_x = frame.x + frame.width * 0.05
    bar_y = frame.y + frame.height * 0.95
    return {
        "frame": frame,
        "squares": squares,
        "markers": markers,
        "circle_km": circle_km,
        "marker_r": round(frame.font_km * 0.75, 3),
        "font": round(frame.font_km, 3),
        "stroke": round(frame.font_km / 8, 3),
        "scale": {
            "x1": round(bar_x, 3),
            "x2": round(bar_x + frame.scale_bar_km, 3),
            "y": round(bar_y, 3),
            "text_y": round(bar_y - frame.font_km * 0.5, 3),
            "km": frame.scale_bar_km,
        },
    }


# Bar charts with error bars

BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 200
PLOT_WIDTH = 360
VALUE_WIDTH = 150


@dataclass(frozen=True)
class Bar:
    label: str
    mean: float
    low: float
    high: float
    text: str = ""  # the value as shown beside the bar, e.g. "4.2 min (3.9–4.6)"


def bar_chart(bars: Sequence[Bar], *, max_value: float | None = None) -> dict:
    """Horizontal bars (the mean) with an error bar (the 95 % interval) per row, in pixels."""
    top = max_value or max((max(b.high, b.mean) for b in bars), default=0) or 1

    def scale(v: float) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * max(0.0, min(v, top)) / top, 2)

    rows = []
    for i, bar in enumerate(bars):
        y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP)
        rows.append(
            {
                "label": bar.label,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "mid_y": y + BAR_HEIGHT / 2,
                "width": round(scale(bar.mean) - LABEL_WIDTH, 2),
                "low_x": scale(bar.low),
                "high_x": scale(bar.high),
                "cap_top": y + 4,
                "cap_bottom": y + BAR_HEIGHT - 4,
                "bar": bar,
            }
        )
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + PLOT_WIDTH + 10,
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        "height": BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP),
        "axis_x": LABEL_WIDTH,
    }
