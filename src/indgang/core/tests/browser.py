"""The one base class for tests that drive a real browser.

Runs headless Debian Chromium from /usr/bin/chromium through Playwright; never a downloaded
browser. Subclasses inherit the "browser" tag (run only them with `indgang test --tag browser`,
leave them out with `--exclude-tag browser`) and are skipped where Chromium or playwright is
missing.
"""

from __future__ import annotations

import os
from pathlib import Path
from unittest import skipUnless

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import tag

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - playwright is a test dependency
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@tag("browser")
@skipUnless(
    CHROMIUM.exists(),
    "browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)",
)
@skipUnless(sync_playwright is not None, "browser tests skipped: the playwright package is missing")
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and one Chromium per test class, as `cls.browser`.

    Each test opens its own context (`self.browser.new_context(...)`) and closes it again.
    """

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API keeps an event loop in this thread; the ORM calls in the tests
        # are ordinary synchronous ones. Restored afterwards: other tests start subprocesses
        # (the deploy check) that must not inherit it. Class cleanups, not tearDownClass, so
        # that the variable is restored and the browser closed even when setUpClass fails
        # half-way (unittest then skips tearDownClass but still runs the cleanups).
        cls.addClassCleanup(
            _environ_restore,
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"),
        )
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.addClassCleanup(cls.playwright.stop)
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        cls.addClassCleanup(cls.browser.close)


def _environ_restore(name: str, value: str | None) -> None:
    """Set the environment variable `name` back to `value`; None means it was not set."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
