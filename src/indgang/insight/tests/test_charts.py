"""The SVG charts, the heatmap shades and the CSV of a chart's table."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from django.test import SimpleTestCase
from django.utils import translation

from indgang.insight.charts import (
    Column,
    Table,
    bar_chart,
    column_chart,
    contrast_ratio,
    display_value,
    heat_shade,
    table_csv,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


class BarChartTests(SimpleTestCase):
    def test_it_is_an_image_named_by_its_title(self):
        root = parse(bar_chart(chart_id="c", title="Contacts", bars=[("Phone", 3, "3")]))
        self.assertEqual(root.get("role"), "img")
        self.assertEqual(root.get("aria-labelledby"), "c-title")
        title = root.find(f"{SVG}title")
        self.assertEqual((title.get("id"), title.text), ("c-title", "Contacts"))

    def test_bar_lengths_are_proportional_to_the_values(self):
        root = parse(
            bar_chart(chart_id="c", title="t", bars=[("A", 10, "10"), ("B", 5, "5"), ("C", 0, "0")])
        )
        widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
        self.assertEqual(widths[0], 2 * widths[1])
        self.assertEqual(widths[2], 0)

    def test_a_fixed_scale_and_a_target_line(self):
        root = parse(
            bar_chart(
                chart_id="c",
                title="t",
                bars=[("A", 0.25, "25 %")],
                maximum=1.0,
                target=0.5,
                target_text="Target 50 %",
            )
        )
        bar = next(root.iter(f"{SVG}rect"))
        line = next(root.iter(f"{SVG}line"))
        self.assertAlmostEqual(float(line.get("x1")), 2 * float(bar.get("width")), places=0)
        self.assertIn("Target 50 %", [t.text for t in root.iter(f"{SVG}text")])

    def test_labels_are_escaped(self):
        svg = bar_chart(chart_id="c", title="<t>", bars=[("<script>x</script>", 1, "1")])
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)
        parse(svg)

    def test_no_bars_draw_nothing(self):
        self.assertEqual(bar_chart(chart_id="c", title="t", bars=[]), "")


class ColumnChartTests(SimpleTestCase):
    def test_columns_rise_with_the_values_and_label_the_weeks(self):
        root = parse(column_chart(chart_id="w", title="Weeks", columns=[("10", 4), ("11", 8)]))
        self.assertEqual(root.get("role"), "img")
        heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
        self.assertEqual(heights[1], 2 * heights[0])
        texts = [t.text for t in root.iter(f"{SVG}text")]
        self.assertIn("10", texts)
        self.assertIn("11", texts)

    def test_many_columns_label_only_every_nth(self):
        columns = [(str(n), n) for n in range(1, 53)]
        root = parse(column_chart(chart_id="w", title="t", columns=columns))
        week_labels = [t.text for t in root.iter(f"{SVG}text")][2:]
        self.assertLessEqual(len(week_labels), 13)
        self.assertEqual(week_labels[:2], ["1", "5"])


class HeatShadeTests(SimpleTestCase):
    def test_text_on_every_shade_has_a_contrast_of_at_least_4_5(self):
        for value in range(0, 101):
            shade = heat_shade(value, 100)
            with self.subTest(value=value, shade=shade):
                self.assertGreaterEqual(contrast_ratio(shade.background, shade.foreground), 4.5)

    def test_more_is_darker(self):
        self.assertEqual(heat_shade(0, 10).background, "#ffffff")
        self.assertEqual(heat_shade(10, 10).foreground, "#ffffff")
        self.assertEqual(heat_shade(0, 0).background, "#ffffff")

    def test_the_contrast_ratio_matches_wcag(self):
        self.assertAlmostEqual(contrast_ratio("#000000", "#ffffff"), 21)
        self.assertAlmostEqual(contrast_ratio("#0059b3", "#ffffff"), 6.8, places=1)


class TableTests(SimpleTestCase):
    table = Table(
        [
            Column("Service"),
            Column("Contacts", "int"),
            Column("Rate", "percent"),
            Column("Wait (min:s)", "duration", "Wait (seconds)"),
        ],
        [["Pas", 1234, 0.5, 754.4], ["=cmd()", 0, None, None]],
    )

    def test_the_csv_has_a_bom_semicolons_and_decimal_commas(self):
        text = table_csv(self.table)
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        self.assertEqual(rows[0], ["Service", "Contacts", "Rate", "Wait (seconds)"])
        self.assertEqual(rows[1], ["Pas", "1234", "50,0", "754"])
        # A formula is kept as text in Excel; missing values are empty.
        self.assertEqual(rows[2], ["'=cmd()", "0", "", ""])

    def test_the_page_shows_numbers_in_the_active_language(self):
        with translation.override("da"):
            self.assertEqual(display_value(1234, "int"), "1.234")
            self.assertEqual(display_value(0.523, "percent"), "52,3 %")
        with translation.override("en"):
            self.assertEqual(display_value(1234, "int"), "1,234")
            self.assertEqual(display_value(0.523, "percent"), "52.3 %")
        self.assertEqual(display_value(754.4, "duration"), "12:34")
        self.assertEqual(display_value(None, "int"), "–")
        cells = self.table.display_rows()[0]
        self.assertEqual([c.numeric for c in cells], [False, True, True, True])
