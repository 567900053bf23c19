"""Charts drawn on the server as inline SVG, and the tables (HTML and CSV) that go with them.

No JavaScript and no chart library: a chart is a handful of rectangles. Each SVG has role="img"
and a <title>, and the page shows the same numbers in a table beside it, because a picture of
numbers is no use to a screen reader. The heatmap is a table with shaded cells, its own text
alternative. Text colours on shades are picked for a contrast of at least 4.5:1.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

INK = "#1a1a1a"  # text, 17:1 on white
BAR = "#0059b3"  # DKFDS primary blue: 6.8:1 on white, so bars pass the 3:1 for graphics
TARGET = "#b51d09"  # the target line, 6:1 on white
GRID = "#757575"  # axis lines, 4.6:1 on white
LABEL_CHARS = 42


@dataclass(frozen=True)
class Column:
    """A table column: its header and how values are shown (text, int, percent, duration)."""

    header: str
    kind: str = "text"
    csv_header: str = ""  # when the CSV shows the value differently (durations in seconds)


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list]  # raw values: str, int, float (a share 0..1 for percent), None

    def display_rows(self) -> list[list[Cell]]:
        return [
            [
                Cell(display_value(v, c.kind), c.kind != "text")
                for v, c in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool  # right-aligned, so digits line up


def display_value(value, kind: str) -> str:
    """A value as the page shows it, in the active language's number format."""
    if value is None:
        return "–"
    if kind == "int":
        return number_format(value, force_grouping=True)
    if kind == "percent":
        return percent_text(value)
    if kind == "duration":
        return duration_text(value)
    return str(value)


def percent_text(share: float) -> str:
    return f"{number_format(round(share * 100, 1), 1)} %"


def duration_text(seconds: float) -> str:
    """Minutes and seconds, m:ss: a 20-second target and a 10-minute one read alike."""
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def csv_value(value, kind: str) -> str:
    """A value for Danish Excel: decimal comma, no thousands separator, percent as a number."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",")
    if kind == "duration":
        return str(round(value))
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def table_csv(table: Table) -> str:
    """The table as CSV that Danish Excel opens by double-click: a UTF-8 byte-order mark (or it
    reads the file as Windows-1252) and semicolons (the comma is the decimal sign)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.csv_header or c.header for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_safe(csv_value(v, c.kind)) for v, c in zip(row, table.columns, strict=True)]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """Keep a service title such as "=HYPERLINK(…)" text in Excel (CSV injection)."""
    if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _svg(chart_id: str, title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="insight-chart" role="img" '
        'aria-labelledby="{}-title" viewBox="0 0 {} {}" width="{}" height="{}" focusable="false">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id,
        width,
        height,
        width,
        height,
        chart_id,
        title,
        body,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float, str]],
    maximum: float | None = None,
    target: float | None = None,
    target_text: str = "",
) -> SafeString:
    """Horizontal bars, each (label, value, value as text), the label above its bar so that the
    chart stays readable at phone width. `maximum` fixes the scale (1 for shares); `target` draws
    a dashed line at that value. Empty string for no bars."""
    if not bars:
        return mark_safe("")
    width, value_space, row = 320, 72, 44
    top = 22 if target is not None else 4
    scale_max = maximum or max(value for _label, value, _text in bars) or 1
    area = width - value_space
    parts = []
    for index, (label, value, text) in enumerate(bars):
        y = top + index * row
        length = max(0.0, min(value, scale_max)) / scale_max * area
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="{}">{}</text>'
                '<rect x="0" y="{}" width="{}" height="16" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                y + 13,
                INK,
                _short(label),
                y + 18,
                f"{length:.1f}",
                BAR,
                f"{length + 4:.1f}",
                y + 31,
                INK,
                text,
            )
        )
    height = top + len(bars) * row
    if target is not None:
        x = f"{min(target, scale_max) / scale_max * area:.1f}"
        parts.append(
            format_html(
                '<line x1="{}" y1="16" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="4 3"></line>'
                '<text x="{}" y="12" font-size="12" fill="{}" text-anchor="middle">{}</text>',
                x,
                x,
                height,
                TARGET,
                x,
                TARGET,
                target_text,
            )
        )
    return _svg(chart_id, title, width, height, mark_safe("".join(parts)))


def column_chart(
    *, chart_id: str, title: str, columns: Sequence[tuple[str, float]], max_text: str = ""
) -> SafeString:
    """Vertical columns over time (label, value), e.g. contacts per week. A label is written under
    every column while they fit, else under every n-th. Empty string for no columns."""
    if not columns:
        return mark_safe("")
    width, height, left, bottom, top = 320, 180, 44, 24, 10
    plot_w, plot_h = width - left - 4, height - bottom - top
    peak = max(value for _label, value in columns) or 1
    step = plot_w / len(columns)
    every = max(1, math.ceil(len(columns) / 13))
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="2 3"></line>'
            '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>'
            '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">0</text>',
            left,
            top + plot_h,
            width,
            top + plot_h,
            GRID,
            left,
            top,
            width,
            top,
            GRID,
            left - 4,
            top + 4,
            INK,
            max_text or number_format(peak, force_grouping=True),
            left - 4,
            top + plot_h,
            INK,
        )
    ]
    for index, (label, value) in enumerate(columns):
        h = value / peak * plot_h
        x = left + index * step
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                f"{x + step * 0.1:.1f}",
                f"{top + plot_h - h:.1f}",
                f"{step * 0.8:.1f}",
                f"{h:.1f}",
                BAR,
            )
        )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                    f"{x + step / 2:.1f}",
                    height - 6,
                    INK,
                    label,
                )
            )
    return _svg(chart_id, title, width, height, mark_safe("".join(parts)))


# The heatmap's shades run from white to a dark blue.
LIGHT = (255, 255, 255)
DARK = (0, 45, 95)


@dataclass(frozen=True)
class Shade:
    background: str
    foreground: str


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours."""
    a, b = (_luminance(_rgb(colour)) for colour in (first, second))
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def heat_shade(value: float, maximum: float) -> Shade:
    """The background for `value` on a scale up to `maximum`, with black or white text, whichever
    contrasts more (for any background one of the two reaches 4.58:1)."""
    t = max(0.0, min(1.0, value / maximum)) if maximum else 0.0
    rgb = tuple(round(lo + (hi - lo) * t) for lo, hi in zip(LIGHT, DARK, strict=True))
    background = "#{:02x}{:02x}{:02x}".format(*rgb)
    on_black = contrast_ratio(background, "#000000")
    on_white = contrast_ratio(background, "#ffffff")
    return Shade(background, "#000000" if on_black >= on_white else "#ffffff")
