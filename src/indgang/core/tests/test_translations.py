"""The Danish catalogue is complete and its compiled .mo matches the .po (no gettext needed)."""

import ast
import gettext
from pathlib import Path

from django.test import SimpleTestCase

import indgang

LOCALE = Path(indgang.__file__).parent / "locale"


def read_po(path: Path) -> dict[str, list[str]]:
    """msgid (with context and plural joined as gettext does) → its msgstr values."""
    entries: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    key = None

    def flush():
        if "msgid" in current and current["msgid"]:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            if "msgid_plural" in current:
                msgid = f"{msgid}\x00{current['msgid_plural']}"
            entries[msgid] = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
    return entries


class DanishTranslationTests(SimpleTestCase):
    def setUp(self):
        self.po = read_po(LOCALE / "da" / "LC_MESSAGES" / "django.po")

    def test_every_message_is_translated(self):
        untranslated = [m for m, values in self.po.items() if not all(values)]
        self.assertGreater(len(self.po), 100)
        self.assertEqual(
            untranslated, [], "run `make messages`, translate, then `make compilemessages`"
        )

    def test_the_compiled_catalogue_matches_the_source(self):
        with open(LOCALE / "da" / "LC_MESSAGES" / "django.mo", "rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        stale = []
        for msgid, values in self.po.items():
            if "\x00" in msgid:
                singular, plural = msgid.split("\x00")
                got = [compiled.ngettext(singular, plural, n) for n in (1, 2)]
            else:
                got = [compiled.gettext(msgid)]
            if got != values:
                stale.append(msgid)
        self.assertEqual(stale, [], "run `make compilemessages`")
