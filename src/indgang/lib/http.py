"""The client's address as the app should count it for throttling.

Behind reverse proxies (NUM_PROXIES of them, each appending to X-Forwarded-For), the client is
the address the outermost trusted proxy saw: the NUM_PROXIES-th entry from the right. Entries
further left are whatever the client wrote and are never trusted. Without proxies (the default),
the connecting address is the client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]
