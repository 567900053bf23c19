import datetime as dt
import gzip
import io
import tempfile
from pathlib import Path

from django.test import TestCase
from django.utils import translation

from indgang.catalogue.kle import (
    SHIPPED_KLE_FILES,
    KleImportError,
    kle_import,
    kle_import_shipped,
)
from indgang.catalogue.models import KleEntry

# Two small publications in KL's formats. They overlap in main group 23: the 2025 file renames
# 23.09.02, no longer lists 23.09.04, brings back 23.09.20 and adds 23.09.15. Main group 00 is only
# in the 2015 file.
KLE_2015 = """<?xml version="1.0" encoding="UTF-8"?>
<KLE-Emneplan xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
\t<UdgivelsesDato>2015-08-01</UdgivelsesDato>
\t<Hovedgruppe>
\t\t<HovedgruppeNr>00</HovedgruppeNr>
\t\t<HovedgruppeTitel>Kommunens styrelse</HovedgruppeTitel>
\t\t<HovedgruppeAdministrativInfo>
\t\t\t<OprettetDato>1988-01-01</OprettetDato>
\t\t</HovedgruppeAdministrativInfo>
\t\t<Gruppe>
\t\t\t<GruppeNr>00.01</GruppeNr>
\t\t\t<GruppeTitel>Kommunens styrelse</GruppeTitel>
\t\t\t<Emne>
\t\t\t\t<EmneNr>00.01.00</EmneNr>
\t\t\t\t<EmneTitel>Kommunens styrelse i almindelighed</EmneTitel>
\t\t\t\t<BevaringJaevnfoerArkivloven>B</BevaringJaevnfoerArkivloven>
\t\t\t</Emne>
\t\t</Gruppe>
\t</Hovedgruppe>
\t<Hovedgruppe>
\t\t<HovedgruppeNr>23</HovedgruppeNr>
\t\t<HovedgruppeTitel>Borgerlige forhold</HovedgruppeTitel>
\t\t<HovedgruppeVejledning>
\t\t\t<VejledningTekst>
\t\t\t\t<p>Sager om pas &amp; kørekort.</p>
\t\t\t\t<p>
\t\t\t\t\t<ul>
\t\t\t\t\t\t<li>Pasloven</li>
\t\t\t\t\t\t<li>Lov om <font>kørekort</font></li>
\t\t\t\t\t</ul>
\t\t\t\t</p>
\t\t\t</VejledningTekst>
\t\t</HovedgruppeVejledning>
\t\t<HovedgruppeAdministrativInfo>
\t\t\t<OprettetDato>1988-01-01</OprettetDato>
\t\t\t<RettetDato>2011-05-01</RettetDato>
\t\t</HovedgruppeAdministrativInfo>
\t\t<Gruppe>
\t\t\t<GruppeNr>23.09</GruppeNr>
\t\t\t<GruppeTitel>Legitimation til borgere</GruppeTitel>
\t\t\t<Emne>
\t\t\t\t<EmneNr>23.09.02</EmneNr>
\t\t\t\t<EmneTitel>Pas og rejsedokumenter</EmneTitel>
\t\t\t\t<EmneRetskildeReference>
\t\t\t\t\t<RetskildeTitel>Pasloven</RetskildeTitel>
\t\t\t\t\t<RetsinfoAccessionsNr>A20000000001</RetsinfoAccessionsNr>
\t\t\t\t</EmneRetskildeReference>
\t\t\t\t<EmneAdministrativInfo><OprettetDato>2006-08-01</OprettetDato></EmneAdministrativInfo>
\t\t\t\t<BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
\t\t\t\t<SletningJaevnfoerPersondataloven>P1800D</SletningJaevnfoerPersondataloven>
\t\t\t</Emne>
\t\t\t<Emne>
\t\t\t\t<EmneNr>23.09.04</EmneNr>
\t\t\t\t<EmneTitel>Kørekort</EmneTitel>
\t\t\t\t<EmneAdministrativInfo><OprettetDato>2006-08-01</OprettetDato></EmneAdministrativInfo>
\t\t\t\t<BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
\t\t\t</Emne>
\t\t\t<Emne>
\t\t\t\t<EmneNr>23.09.10</EmneNr>
\t\t\t\t<EmneTitel>Rejsekort [udgået] </EmneTitel>
\t\t\t\t<EmneAdministrativInfo>
\t\t\t\t\t<OprettetDato>1988-01-01</OprettetDato>
\t\t\t\t\t<Historisk><UdgaaetDato>2009-02-01</UdgaaetDato></Historisk>
\t\t\t\t</EmneAdministrativInfo>
\t\t\t\t<BevaringJaevnfoerArkivloven>tom</BevaringJaevnfoerArkivloven>
\t\t\t</Emne>
\t\t\t<Emne>
\t\t\t\t<EmneNr>23.09.12</EmneNr>
\t\t\t\t<EmneTitel>Identitetskort [udgået]</EmneTitel>
\t\t\t\t<EmneAdministrativInfo>
\t\t\t\t\t<OprettetDato>1999-01-01</OprettetDato>
\t\t\t\t\t<Historisk>
\t\t\t\t\t\t<Flyttet>
\t\t\t\t\t\t\t<FlyttetDato>2014-11-01</FlyttetDato>
\t\t\t\t\t\t\t<AfloestAf><EmneNr>23.09.15</EmneNr></AfloestAf>
\t\t\t\t\t\t</Flyttet>
\t\t\t\t\t</Historisk>
\t\t\t\t</EmneAdministrativInfo>
\t\t\t\t<BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
\t\t\t</Emne>
\t\t\t<Emne>
\t\t\t\t<EmneNr>23.09.20</EmneNr>
\t\t\t\t<EmneTitel>Udlandspas [udgået]</EmneTitel>
\t\t\t\t<EmneAdministrativInfo>
\t\t\t\t\t<OprettetDato>1988-01-01</OprettetDato>
\t\t\t\t\t<Historisk><UdgaaetDato>2003-02-01</UdgaaetDato></Historisk>
\t\t\t\t</EmneAdministrativInfo>
\t\t\t</Emne>
\t\t</Gruppe>
\t</Hovedgruppe>
</KLE-Emneplan>
"""

KLE_2025 = """<?xml version="1.0" encoding="UTF-8"?>
<KLE-Emneplan>
   <UdgivelsesDato>2025-05-01</UdgivelsesDato>
   <Hovedgruppe>
      <HovedgruppeNr>23</HovedgruppeNr>
      <HovedgruppeTitel>Borgerlige forhold</HovedgruppeTitel>
      <HovedgruppeAdministrativInfo>
         <OprettetDato>1988-01-01</OprettetDato>
      </HovedgruppeAdministrativInfo>
      <HovedgruppeStikord>
         <Orden>1</Orden><Tekst>Borgerlige forhold [=Hovedgruppe]</Tekst>
      </HovedgruppeStikord>
      <HovedgruppeStikord>
         <Orden>1</Orden><Tekst>Personforhold, hovedgruppe [udgået]</Tekst>
      </HovedgruppeStikord>
      <Gruppe>
         <GruppeNr>23.09</GruppeNr>
         <GruppeTitel>Legitimation til borgere</GruppeTitel>
         <GruppeStikord><Orden>1</Orden><Tekst>Legitimation til borgere[=Gruppe]</Tekst>
         </GruppeStikord>
         <GruppeStikord><Orden>1</Orden><Tekst>Kørekort og pas [=Gruppe] [udgået]</Tekst>
         </GruppeStikord>
         <Emne>
            <EmneNr>23.09.02</EmneNr>
            <EmneTitel>Pas</EmneTitel>
            <EmneVejledning>
               <VejledningTekst><p><ul>
<li>Her journaliseres sager om ansøgning om pas.</li>
</ul></p></VejledningTekst>
            </EmneVejledning>
            <EmneRetskildeReference>
               <RetskildeTitel>Pasloven</RetskildeTitel>
               <ParagrafEllerKapitel>§ 1</ParagrafEllerKapitel>
               <RetsinfoAccessionsNr>A20170007629#P1</RetsinfoAccessionsNr>
               <RetsinfoURL>https://www.retsinformation.dk/eli/accn/A20170007629#P1</RetsinfoURL>
            </EmneRetskildeReference>
            <EmneAdministrativInfo>
               <OprettetDato>2006-08-01</OprettetDato>
               <RettetDato>2021-02-01</RettetDato>
            </EmneAdministrativInfo>
            <BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
            <SletningJaevnfoerPersondataloven>P1825D</SletningJaevnfoerPersondataloven>
            <EmneStikord><Orden>1</Orden><Tekst>Pas [=Emne]</Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Pas, udstedelse af</Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>pas, udstedelse af </Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Nødpas [=Emne</Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Paspapirer [Emne]</Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Rejsepas [udgået]</Tekst></EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Pas med kort gyldighed [udgår 2026]</Tekst>
            </EmneStikord>
            <EmneStikord><Orden>1</Orden><Tekst>Pas\u00adfoto,
 krav til</Tekst></EmneStikord>
            <EmneOgHandlingsfacetStikord>
               <Orden>1</Orden><Tekst>Pas, klage over afslag</Tekst>
               <HandlingsfacetNr>K02</HandlingsfacetNr>
            </EmneOgHandlingsfacetStikord>
         </Emne>
         <Emne>
            <EmneNr>23.09.15</EmneNr>
            <EmneTitel>Udstedelse af legitimationskort</EmneTitel>
            <EmneAdministrativInfo><OprettetDato>2017-05-01</OprettetDato></EmneAdministrativInfo>
            <BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
            <SletningJaevnfoerPersondataloven>P1825D</SletningJaevnfoerPersondataloven>
            <EmneStikord><Orden>1</Orden><Tekst>Legitimationskort</Tekst></EmneStikord>
         </Emne>
         <Emne>
            <EmneNr>23.09.20</EmneNr>
            <EmneTitel>Udlandspas</EmneTitel>
            <EmneAdministrativInfo><OprettetDato>2024-01-01</OprettetDato></EmneAdministrativInfo>
            <BevaringJaevnfoerArkivloven>K</BevaringJaevnfoerArkivloven>
         </Emne>
      </Gruppe>
   </Hovedgruppe>
</KLE-Emneplan>
"""

ALL_NUMBERS = [
    "00",
    "00.01",
    "00.01.00",
    "23",
    "23.09",
    "23.09.02",
    "23.09.04",
    "23.09.10",
    "23.09.12",
    "23.09.15",
    "23.09.20",
]


class KleFilesMixin:
    """Writes the two publications (and whatever else a test needs) to a fresh temp directory."""

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = Path(tmp.name)
        self.kle_2015 = self.write("KLE-2015.xml", KLE_2015)
        self.kle_2025 = self.write("KLE-2025.xml", KLE_2025)

    def write(self, name: str, text: str) -> Path:
        path = self.dir / name
        path.write_text(text, encoding="utf-8")
        return path

    def snapshot(self) -> list[dict]:
        return list(KleEntry.objects.order_by("number").values())


class KleImportTests(KleFilesMixin, TestCase):
    def test_it_stores_every_level_with_its_parent(self):
        kle_import(paths=[self.kle_2015, self.kle_2025])

        self.assertEqual(list(KleEntry.objects.values_list("number", flat=True)), ALL_NUMBERS)
        levels = dict(KleEntry.objects.values_list("number", "level"))
        self.assertEqual(
            (levels["23"], levels["23.09"], levels["23.09.02"]), ("main_group", "group", "topic")
        )
        pas = KleEntry.objects.get(number="23.09.02")
        self.assertEqual(pas.parent.number, "23.09")
        self.assertEqual(pas.parent.parent.number, "23")
        self.assertIsNone(pas.parent.parent.parent)

    def test_the_newest_publication_wins_whatever_the_argument_order(self):
        kle_import(paths=[self.kle_2025, self.kle_2015])
        newest_last = self.snapshot()
        KleEntry.objects.all().delete()
        kle_import(paths=[self.kle_2015, self.kle_2025])

        def without_ids(rows):
            return [{k: v for k, v in row.items() if k not in ("id", "parent_id")} for row in rows]

        self.assertEqual(without_ids(self.snapshot()), without_ids(newest_last))
        pas = KleEntry.objects.get(number="23.09.02")
        self.assertEqual(pas.title, "Pas")
        self.assertEqual(pas.source_publication, dt.date(2025, 5, 1))
        self.assertEqual(pas.retention_deletion, "P1825D")

    def test_an_older_file_does_not_overwrite_a_newer_entry(self):
        kle_import(paths=[self.kle_2025])
        result = kle_import(paths=[self.kle_2015])

        pas = KleEntry.objects.get(number="23.09.02")
        self.assertEqual((pas.title, pas.source_publication), ("Pas", dt.date(2025, 5, 1)))
        self.assertEqual(result.files[0].skipped_older, 4)  # 23, 23.09, 23.09.02, 23.09.20
        self.assertEqual(result.updated, 0)
        # Older entries the newer file does not list are added, but as retired.
        self.assertEqual(KleEntry.objects.get(number="23.09.04").retired_on, dt.date(2025, 5, 1))
        self.assertIsNone(KleEntry.objects.get(number="00.01.00").retired_on)

    def test_a_second_run_changes_nothing(self):
        first = kle_import(paths=[self.kle_2015, self.kle_2025])
        before = self.snapshot()
        second = kle_import(paths=[self.kle_2015, self.kle_2025])

        self.assertEqual((first.created, first.updated, first.unchanged), (11, 0, 0))
        self.assertEqual((second.created, second.updated, second.unchanged), (0, 0, 11))
        self.assertEqual(second.retired, 0)
        self.assertEqual(self.snapshot(), before)

    def test_a_newer_file_updates_entries_stored_from_an_older_one(self):
        kle_import(paths=[self.kle_2015])
        result = kle_import(paths=[self.kle_2025])

        # 23, 23.09, 23.09.02 and 23.09.20 from the new file, 23.09.04 retired; 23.09.15 is new.
        self.assertEqual((result.created, result.updated, result.retired), (1, 5, 1))
        self.assertEqual(KleEntry.objects.get(number="23.09.02").title, "Pas")

    def test_it_keeps_retired_entries_and_marks_them(self):
        result = kle_import(paths=[self.kle_2015])

        retired = KleEntry.objects.get(number="23.09.10")
        self.assertEqual(retired.retired_on, dt.date(2009, 2, 1))
        self.assertTrue(retired.is_retired)
        self.assertEqual(retired.title, "Rejsekort [udgået]")
        self.assertEqual(retired.retention_archive, "")  # KL writes "tom"
        moved = KleEntry.objects.get(number="23.09.12")
        self.assertEqual((moved.retired_on, moved.replaced_by), (dt.date(2014, 11, 1), "23.09.15"))
        self.assertEqual(result.retired, 3)

    def test_it_retires_entries_a_newer_publication_no_longer_lists(self):
        kle_import(paths=[self.kle_2015, self.kle_2025])

        withdrawn = KleEntry.objects.get(number="23.09.04")
        self.assertEqual(withdrawn.retired_on, dt.date(2025, 5, 1))
        self.assertEqual(withdrawn.title, "Kørekort")
        self.assertEqual(withdrawn.source_publication, dt.date(2015, 8, 1))
        # KL's own retirement date is kept, and main groups the newer file lacks are untouched.
        self.assertEqual(KleEntry.objects.get(number="23.09.10").retired_on, dt.date(2009, 2, 1))
        self.assertIsNone(KleEntry.objects.get(number="00.01.00").retired_on)

    def test_a_newer_publication_brings_a_retired_number_back(self):
        kle_import(paths=[self.kle_2015, self.kle_2025])

        revived = KleEntry.objects.get(number="23.09.20")
        self.assertIsNone(revived.retired_on)
        self.assertEqual(revived.title, "Udlandspas")

    def test_it_cleans_the_stikord(self):
        kle_import(paths=[self.kle_2025])

        self.assertEqual(
            KleEntry.objects.get(number="23.09.02").stikord,
            [
                "Pas",
                "Pas, udstedelse af",
                "Nødpas",
                "Paspapirer",
                "Pas med kort gyldighed [udgår 2026]",
                "Pasfoto, krav til",
                "Pas, klage over afslag",
            ],
        )
        self.assertEqual(KleEntry.objects.get(number="23.09").stikord, ["Legitimation til borgere"])
        self.assertEqual(KleEntry.objects.get(number="23").stikord, ["Borgerlige forhold"])

    def test_it_keeps_guidance_as_html(self):
        kle_import(paths=[self.kle_2015])
        # Lists lose KL's wrapping <p>, text stays escaped, unknown tags keep only their text.
        self.assertEqual(
            KleEntry.objects.get(number="23").guidance,
            "<p>Sager om pas &amp; kørekort.</p>\n"
            "<ul>\n<li>Pasloven</li>\n<li>Lov om kørekort</li>\n</ul>",
        )

        kle_import(paths=[self.kle_2025])
        self.assertEqual(KleEntry.objects.get(number="23").guidance, "")  # the newer plan has none
        self.assertEqual(
            KleEntry.objects.get(number="23.09.02").guidance,
            "<ul>\n<li>Her journaliseres sager om ansøgning om pas.</li>\n</ul>",
        )
        self.assertEqual(KleEntry.objects.get(number="23.09.04").guidance, "")

    def test_it_reads_legal_references_retention_and_dates(self):
        kle_import(paths=[self.kle_2015, self.kle_2025])

        pas = KleEntry.objects.get(number="23.09.02")
        self.assertEqual(
            pas.legal_references,
            [
                {
                    "title": "Pasloven",
                    "paragraph": "§ 1",
                    "accession_number": "A20170007629#P1",
                    "url": "https://www.retsinformation.dk/eli/accn/A20170007629#P1",
                }
            ],
        )
        self.assertEqual((pas.retention_archive, pas.retention_deletion_days), ("K", 1825))
        self.assertEqual(pas.created_on, dt.date(2006, 8, 1))
        self.assertEqual(pas.changed_on, dt.date(2021, 2, 1))
        styrelse = KleEntry.objects.get(number="00.01.00")
        self.assertEqual((styrelse.retention_archive, styrelse.retention_deletion), ("B", ""))
        self.assertIsNone(styrelse.retention_deletion_days)

    def test_it_reads_gzip_files(self):
        packed = self.dir / "KLE-2025.xml.gz"
        packed.write_bytes(gzip.compress(KLE_2025.encode()))

        kle_import(paths=[packed])

        self.assertEqual(KleEntry.objects.get(number="23.09.02").title, "Pas")

    def test_it_reports_progress_on_the_stream(self):
        stream = io.StringIO()
        with translation.override("en"):
            kle_import(paths=[self.kle_2015], progress_stream=stream)

        lines = stream.getvalue().splitlines()
        self.assertIn("KLE-2015.xml 100%", "\n".join(lines))
        self.assertTrue(lines[-1].startswith("Saving 100%"), lines[-1])


class KleImportBadInputTests(KleFilesMixin, TestCase):
    def assert_rejected(self, path: Path, message: str):
        kle_import(paths=[self.kle_2015])
        before = self.snapshot()
        # The good newer file comes first, so a half-written import would show its changes.
        with translation.override("en"):
            with self.assertRaisesMessage(KleImportError, message) as caught:
                kle_import(paths=[self.kle_2025, path])
        self.assertIn(path.name, str(caught.exception))
        self.assertEqual(self.snapshot(), before)

    def test_it_rejects_a_file_that_is_not_xml(self):
        path = self.write("notes.xml", "Pas og kørekort\n")
        self.assert_rejected(path, "not a well-formed XML file")

    def test_it_rejects_xml_that_is_not_a_kle_plan(self):
        path = self.write("feed.xml", "<rss><channel/></rss>")
        self.assert_rejected(path, "root element is <rss>")

    def test_it_rejects_a_plan_without_a_publication_date(self):
        text = KLE_2015.replace("<UdgivelsesDato>2015-08-01</UdgivelsesDato>", "")
        self.assert_rejected(self.write("undated.xml", text), "no UdgivelsesDato")

    def test_it_rejects_a_publication_date_that_is_not_a_date(self):
        text = KLE_2015.replace("2015-08-01</Udgivelses", "august 2015</Udgivelses")
        self.assert_rejected(self.write("odd-date.xml", text), "UdgivelsesDato is not a date")

    def test_it_rejects_an_entry_filed_under_the_wrong_group(self):
        text = KLE_2015.replace("<EmneNr>23.09.04</EmneNr>", "<EmneNr>23.10.04</EmneNr>")
        self.assert_rejected(self.write("misfiled.xml", text), "23.10.04 is filed under 23.09")

    def test_it_rejects_a_broken_gzip_file(self):
        packed = self.dir / "cut.xml.gz"
        packed.write_bytes(gzip.compress(KLE_2015.encode())[:200])
        self.assert_rejected(packed, "not a readable gzip file")

    def test_it_rejects_a_missing_file(self):
        self.assert_rejected(self.dir / "missing.xml", "cannot be read")


class ShippedKleTests(TestCase):
    """The real files Indgang ships; counts are checked against SOURCE.md."""

    def test_the_shipped_files_import_with_known_facts(self):
        self.assertTrue(all(path.is_file() for path in SHIPPED_KLE_FILES))
        only_2015 = kle_import(paths=SHIPPED_KLE_FILES[:1])
        self.assertEqual(only_2015.files[0].publication, dt.date(2015, 8, 1))
        self.assertEqual(only_2015.created, 41 + 691 + 3457)
        topics = KleEntry.objects.filter(level="topic")
        self.assertEqual(topics.count(), 3457)
        # SOURCE.md counts 2,379 active emner, leaving out only those with an UdgaaetDato (on the
        # emne or its group). KL titles moved (Flyttet) emner "[udgået]" too, so the 243 of them
        # that SOURCE.md counts as active are retired here.
        self.assertEqual(topics.filter(retired_on__isnull=True).count(), 2379 - 243)
        # 247 emner were moved; KL names no successor for one of them (17.20.25).
        self.assertEqual(topics.exclude(replaced_by="").count(), 246)
        self.assertEqual(KleEntry.objects.get(number="17.20.25").replaced_by, "")

        result = kle_import_shipped()
        self.assertEqual(
            [(f.publication, f.entries) for f in result.files],
            [(dt.date(2015, 8, 1), 4189), (dt.date(2025, 5, 1), 14 + 185 + 1028)],
        )
        pas = KleEntry.objects.get(number="23.09.02")
        self.assertEqual((pas.title, pas.source_publication), ("Pas", dt.date(2025, 5, 1)))
        self.assertIn("Pas, udstedelse af", pas.stikord)
        self.assertEqual(pas.parent.title, "Legitimation til borgere")
        retired = KleEntry.objects.get(number="00.02.00")  # only in the 2015 plan
        self.assertEqual(retired.retired_on, dt.date(2000, 1, 1))
        moved = KleEntry.objects.get(number="00.10.00")
        self.assertEqual((moved.retired_on, moved.replaced_by), (dt.date(2014, 11, 1), "15.40.00"))
        self.assertFalse(KleEntry.objects.get(number="15.40.00").is_retired)

        again = kle_import_shipped()
        self.assertEqual((again.created, again.updated, again.retired), (0, 0, 0))
        self.assertEqual(again.unchanged, KleEntry.objects.count())
