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
    "indgang.visits",
    "indgang.insight",
    "indgang.scenarios",
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
    # Tokens for the staff API under /api/v1/staff/ (only those views accept them).
    "rest_framework.authtoken",
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
    # Several app processes write at once: each transaction takes the write lock when it begins
    # and waits for it (instead of failing with "database is locked" when a read-then-write
    # transaction cannot upgrade its lock), and readers do not block the writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
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
# MEDIA_ROOT: where files citizens send with inquiries are kept. Never served as static files:
# staff download them through a view that checks access and writes the access log.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
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
# Throttling counts requests per client address in the default cache, which is a table in the
# database (created by `indgang migrate`): shared by every app process, so N workers never allow
# N times the rate, and no extra server is needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "indgang_cache",
    }
}
# NUM_PROXIES: how many reverse proxies in front of the app append to X-Forwarded-For. 0 (the
# default) counts the connecting address; set it to 1 behind one proxy, or every client would share
# the proxy's address (and a client could never forge its way around a limit either way).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
# INDGANG_API_RATE: requests one anonymous client may make to the API, e.g. 60/minute.
API_RATE = env_str("INDGANG_API_RATE", "60/minute")
# INQUIRY_RATE: inquiries one client may send through POST /api/v1/inquiries/, e.g. 30/minute.
INQUIRY_RATE = env_str("INQUIRY_RATE", "30/minute")
# APPOINTMENT_RATE: bookings one client may make through POST /api/v1/appointments/.
APPOINTMENT_RATE = env_str("APPOINTMENT_RATE", "20/minute")
# TICKET_RATE: queue numbers one client may take through POST /api/v1/service-points/<slug>/tickets/.
TICKET_RATE = env_str("TICKET_RATE", "20/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_RATE,
        "inquiries": INQUIRY_RATE,
        "appointments": APPOINTMENT_RATE,
        "tickets": TICKET_RATE,
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": NUM_PROXIES,
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

# The insight dashboard's targets. INSIGHT_SELF_SERVICE_TARGET: the self-service rate (in %) each
# service is measured against; the national target is 50 %.
INSIGHT_SELF_SERVICE_TARGET = env_int("INSIGHT_SELF_SERVICE_TARGET", 50)
# INSIGHT_COUNTER_WAIT_TARGET_SECONDS: the service level counts citizens at a counter (walk-in,
# appointment, assisted self-service) served within this wait. INSIGHT_PHONE_WAIT_TARGET_SECONDS:
# the same for calls and chats answered.
INSIGHT_COUNTER_WAIT_TARGET_SECONDS = env_int("INSIGHT_COUNTER_WAIT_TARGET_SECONDS", 600)
INSIGHT_PHONE_WAIT_TARGET_SECONDS = env_int("INSIGHT_PHONE_WAIT_TARGET_SECONDS", 20)

# E-mail out: receipts and answers leave through the outbox, sent by `indgang inquiries work`.
# EMAIL_HOST: the SMTP server. Unset: e-mail is printed to the console (local demo), never sent.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# EMAIL_PORT: the SMTP server's port (587 for STARTTLS, 465 for SSL, 25 for a local relay).
EMAIL_PORT = env_int("EMAIL_PORT", 587)
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (or EMAIL_HOST_PASSWORD_FILE): SMTP login, if it needs one.
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
# EMAIL_USE_SSL: TLS from the first byte (port 465). EMAIL_USE_TLS: STARTTLS; on unless SSL is.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
# EMAIL_TIMEOUT: seconds to wait for the SMTP server before a send counts as failed (and retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# DEFAULT_FROM_EMAIL: sender of e-mail that is not about an inquiry.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "borgerservice@kommune.invalid")
# INQUIRY_EMAIL_FROM: sender of receipts and answers; the address of the mailbox that
# INQUIRY_IMAP_* reads, so that citizens' replies come back as inquiries.
INQUIRY_EMAIL_FROM = env_str("INQUIRY_EMAIL_FROM", DEFAULT_FROM_EMAIL)
# INQUIRY_EMAIL_DOMAIN: the domain in the Message-IDs of outgoing e-mail.
INQUIRY_EMAIL_DOMAIN = env_str(
    "INQUIRY_EMAIL_DOMAIN", INQUIRY_EMAIL_FROM.rpartition("@")[2].strip(" >") or "indgang.invalid"
)

# E-mail in: the IMAP mailbox citizens write to. INQUIRY_IMAP_HOST: the server; unset, it is off.
INQUIRY_IMAP_HOST = env_str("INQUIRY_IMAP_HOST")
# INQUIRY_IMAP_SECURITY: ssl (TLS from the first byte), starttls, or none (only on loopback).
INQUIRY_IMAP_SECURITY = env_str("INQUIRY_IMAP_SECURITY", "ssl").strip().lower()
if INQUIRY_IMAP_SECURITY not in ("ssl", "starttls", "none"):
    raise ImproperlyConfigured("INQUIRY_IMAP_SECURITY must be ssl, starttls or none.")
# INQUIRY_IMAP_PORT: default 993 with ssl, 143 otherwise.
INQUIRY_IMAP_PORT = env_int("INQUIRY_IMAP_PORT", 993 if INQUIRY_IMAP_SECURITY == "ssl" else 143)
# INQUIRY_IMAP_USER, INQUIRY_IMAP_PASSWORD (or INQUIRY_IMAP_PASSWORD_FILE): the mailbox login.
INQUIRY_IMAP_USER = env_str("INQUIRY_IMAP_USER")
INQUIRY_IMAP_PASSWORD = env_secret("INQUIRY_IMAP_PASSWORD")
# INQUIRY_IMAP_FOLDER: the folder to read.
INQUIRY_IMAP_FOLDER = env_str("INQUIRY_IMAP_FOLDER", "INBOX")
# INQUIRY_IMAP_AFTER: what happens to a message once its inquiry is saved: "flag" (marked \Seen
# and $Indgang, left in the mailbox) or "delete".
INQUIRY_IMAP_AFTER = env_str("INQUIRY_IMAP_AFTER", "flag").strip().lower()
if INQUIRY_IMAP_AFTER not in ("flag", "delete"):
    raise ImproperlyConfigured("INQUIRY_IMAP_AFTER must be flag or delete.")

# Text messages (appointment confirmations and reminders). SMS_BACKEND: console (printed),
# file (appended to SMS_FILE_PATH) or http (a JSON POST to SMS_GATEWAY_URL with the bearer token
# SMS_GATEWAY_TOKEN, or SMS_GATEWAY_TOKEN_FILE); SMS_GATEWAY_TIMEOUT in seconds; SMS_SENDER is the
# sender name the gateway shows.
SMS_BACKEND = env_str("SMS_BACKEND", "console").strip().lower()
if SMS_BACKEND not in ("console", "file", "http"):
    raise ImproperlyConfigured("SMS_BACKEND must be console, file or http.")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.log"))
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_secret("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_SENDER = env_str("SMS_SENDER", "Kommunen")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # CPR numbers, e-mail addresses and phone numbers are masked in every log line: give every
    # handler this filter (a test checks that each one has it).
    "filters": {"mask_personal_data": {"()": "indgang.lib.log_masking.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    # LOG_LEVEL: level for Indgang's own log lines.
    "loggers": {
        "indgang": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        # Server errors (500s) with their tracebacks; without this Django logs them nowhere when
        # DEBUG is off and no ADMINS are set.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
