import re
from pathlib import Path

from django.test import SimpleTestCase

import indgang

PACKAGE = Path(indgang.__file__).parent
README = PACKAGE.parent.parent / "README.md"


class SettingsDocumentedTests(SimpleTestCase):
    def test_every_environment_variable_is_in_the_readme(self):
        source = (PACKAGE / "settings" / "base.py").read_text()
        names = set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z_]+)"', source))
        names |= {f"{name}_FILE" for name in re.findall(r'env_secret\(\s*"([A-Z_]+)"', source)}
        self.assertGreater(len(names), 10)
        readme = README.read_text()
        missing = sorted(n for n in names if f"`{n}`" not in readme)
        self.assertEqual(missing, [], "document these in README.md, section Configuration")
