"""Indgang settings.

Every setting that an operator may change is read from an environment variable here, with a
default that is safe for production or, where production needs a real value, an error.
Each variable is documented in README.md ("Configuration"); a test keeps the two in step.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from indgang.lib.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("INDGANG_HOME", str(Path.cwd())))

# DEBUG: show Django's debug pages. Off unless asked for.
DEBUG = env_bool("DEBUG", False)
# INDGANG_DEMO: a local demonstration (make run). Allows a built-in secret key and plain HTTP.
DEMO = env_bool("INDGANG_DEMO", False)
_LOCAL = DEBUG or DEMO

# SECRET_KEY (or SECRET_KEY_FILE): required unless DEBUG or INDGANG_DEMO is on.
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not _LOCAL:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set. For a local demo run `make run`, "
            "or set INDGANG_DEMO=1."
        )
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production-0123456789abcdef"

# ALLOWED_HOSTS: comma-separated host names this deployment answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# CSRF_TRUSTED_ORIGINS: comma-separated origins (https://borgerservice.example.dk) behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "indgang.core",
    "indgang.accounts",
    "indgang.catalogue",
    "indgang.places",
    "indgang.wayfinder",
    "indgang.inquiries",
    "indgang.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "indgang.urls"
WSGI_APPLICATION = "indgang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "indgang.core.context_processors.municipality",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://user:password@host:5432/indgang. Unset: SQLite in ./var/.
_DEFAULT_SQLITE = "sqlite:///" + str(BASE_DIR / "var" / "indgang.sqlite3")
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _DEFAULT_SQLITE,
        # DATABASE_CONN_MAX_AGE: seconds to keep a database connection open between requests.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# TIME_ZONE: the municipality's time zone; opening hours are computed in it.
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# STATIC_ROOT: where `indgang collectstatic` puts the files WhiteNoise serves.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# INDGANG_MUNICIPALITY_NAME: shown in the header of every page.
MUNICIPALITY_NAME = env_str("INDGANG_MUNICIPALITY_NAME", "Fjordby Kommune")
# INDGANG_SITE_URL: public address, used in links that leave the site (iCalendar, JSON-LD).
SITE_URL = env_str("INDGANG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# HTTPS hardening: on in production, off for a local demo or DEBUG run over plain HTTP.
# SECURE_SSL_REDIRECT: redirect plain HTTP to HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not _LOCAL)
# SECURE_HSTS_SECONDS: how long browsers must use HTTPS only (0 turns HSTS off).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if _LOCAL else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# SECURE_HSTS_PRELOAD: add "preload" to the HSTS header. It only takes effect once someone submits
# the domain to the browsers' preload list, so it is on by default with HSTS.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# SECURE_PROXY_SSL_HEADER_ON: trust X-Forwarded-Proto from the reverse proxy in front.
if env_bool("SECURE_PROXY_SSL_HEADER_ON", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not _LOCAL
CSRF_COOKIE_SECURE = not _LOCAL
LANGUAGE_COOKIE_SECURE = not _LOCAL
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "admin:login"

# The JSON API under /api/v1/: anonymous and read-only, JSON only (the browsable HTML API only with
# DEBUG), described by an OpenAPI schema at /api/v1/schema/.
# Throttling counts requests per client address in the default cache. Without a CACHES setting
# that is Django's in-memory cache, which each process keeps for itself: with N worker processes a
# client may make up to N times the rate. That is acceptable as protection against runaway
# clients; configure a shared cache (e.g. Redis or the database cache) for an exact limit.
# INDGANG_API_RATE: requests one anonymous client may make to the API, e.g. 60/minute.
API_RATE = env_str("INDGANG_API_RATE", "60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Indgang API",
    "DESCRIPTION": "Read-only access to the citizen service: the wayfinder finds the right "
    "service for a need written in the citizen's own words.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# WAYFINDER_REFRESH_SECONDS: how often (at most) each process asks the database whether the
# catalogue changed, so a new keyword reaches every worker's wayfinder within this many seconds.
WAYFINDER_REFRESH_SECONDS = env_int("WAYFINDER_REFRESH_SECONDS", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # LOG_LEVEL: level for Indgang's own log lines.
    "loggers": {"indgang": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")}},
}
