"""Browser helpers for staff pages: open a page logged in as a user, run axe-core on it.

StaffBrowserTestCase is the base class of the staff browser tests (see those of inquiries and
visits); the mixin needs only a live server and `self.browser`.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from .browser import BrowserTestCase
from .test_browser_accessibility import axe_run, format_violations


class StaffBrowserMixin:
    def open_as(self, user, path: str, *, width: int = 1280, javascript: bool = True):
        """A page opened in a fresh browser context with `user`'s session cookie."""
        client = Client()
        client.force_login(user)
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}
        )
        self.addCleanup(context.close)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.live_server_url,
                }
            ]
        )
        page = context.new_page()
        response = page.goto(self.live_server_url + path)
        return page, response

    def axe(self, page, label: str) -> list[str]:
        """axe-core's violations on the open page, formatted; empty when there are none."""
        violations = axe_run(page)
        return [format_violations(label, violations)] if violations else []


class StaffBrowserTestCase(StaffBrowserMixin, BrowserTestCase):
    """Chromium and a live server (BrowserTestCase) with the staff helpers above."""
