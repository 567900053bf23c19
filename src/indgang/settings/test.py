"""Settings for the test suite: the base settings with fast, local choices."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from indgang.settings.base import *  # noqa: E402,F403

# For speed: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests must not need collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Serve static files through the finders, so the suite needs no collectstatic and no var/static.
WHITENOISE_AUTOREFRESH = True
# Every search checks whether the catalogue changed, so a test never sees an earlier test's index.
WAYFINDER_REFRESH_SECONDS = 0
# For speed and isolation: an in-memory cache (throttle counters start empty in every process).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
