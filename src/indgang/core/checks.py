"""System checks for configuration mistakes that Django's own checks do not catch."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_check(app_configs, **kwargs):
    if getattr(settings, "DEMO", False):
        return [
            Warning(
                "INDGANG_DEMO is on: the built-in secret key and plain HTTP are allowed.",
                hint="Unset INDGANG_DEMO and set SECRET_KEY in production.",
                id="indgang.W001",
            )
        ]
    return []


@register(Tags.compatibility)
def site_url_check(app_configs, **kwargs):
    from urllib.parse import urlsplit

    host = urlsplit(settings.SITE_URL).hostname or ""
    allowed = settings.ALLOWED_HOSTS
    if "*" in allowed or any(
        host == h or (h.startswith(".") and host.endswith(h)) for h in allowed
    ):
        return []
    return [
        Warning(
            f"INDGANG_SITE_URL's host {host!r} is not in ALLOWED_HOSTS.",
            hint="Links in calendars and structured data would point to a host this site refuses.",
            id="indgang.W002",
        )
    ]


@register(Tags.compatibility, deploy=True)
def email_server_check(app_configs, **kwargs):
    if getattr(settings, "EMAIL_HOST", "") or getattr(settings, "DEMO", False):
        return []
    return [
        Warning(
            "EMAIL_HOST is not set: receipts and answers to citizens are only printed to the "
            "console, never sent.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER …) to the municipality's SMTP "
            "server.",
            id="indgang.W003",
        )
    ]
