"""Small page components on DKFDS markup. See templates/components/README.md."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_from_path

from indgang.places.models import ServicePoint, ServicePointKind
from indgang.places.presentation import clock

register = template.Library()

ICON_SPRITE = "vendor/dkfds/img/all-svg-icons.svg"

# The same characters Django's json_script escapes, so data can never end the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def icon(name: str, classes: str = "") -> SafeString:
    """A decorative DKFDS icon from the sprite; the text next to it carries the meaning."""
    css = f"icon-svg {classes}".strip()
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}#{}"></use></svg>',
        css,
        static(ICON_SPRITE),
        name,
    )


@register.simple_tag(takes_context=True)
def path_in_language(context, language: str) -> str:
    """This page's address in another language (/ydelser/pas/ ↔ /en/ydelser/pas/).

    Computed while rendering, where the page's own language is active: Django's set_language
    view resolves `next` in the default language (its own URL has no prefix), so it cannot
    translate an /en/ address back to Danish by itself.
    """
    request = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    translated = translate_url(path, language)
    if translated != path or language == get_language_from_path(request.path_info):
        return translated
    # Not a page Django can resolve (a 404): swap the language prefix by hand.
    prefix = get_language_from_path(request.path_info)
    if prefix:
        path = path[len(prefix) + 1 :]
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@register.filter
def jsonld_script(data: dict) -> SafeString:
    """Structured data as <script type="application/ld+json">, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def osm_url(place) -> str:
    """A plain link to the place on openstreetmap.org; the page itself embeds no map."""
    lat, lon = place.latitude, place.longitude
    if lat is None or lon is None:
        return ""
    lat, lon = Decimal(lat).normalize(), Decimal(lon).normalize()
    query = urlencode({"mlat": lat, "mlon": lon})
    return f"https://www.openstreetmap.org/?{query}#map=17/{lat}/{lon}"


@register.filter
def coordinate(value) -> str:
    """A latitude or longitude without trailing zeros, in the page's number format (54,8345)."""
    if value is None:
        return ""
    return formats.number_format(Decimal(value).normalize())


@register.filter
def tel_href(number: str) -> str:
    """'70 10 20 30' → 'tel:+4570102030' (Danish numbers are eight digits)."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    if len(digits) == 8:
        digits = "+45" + digits
    return f"tel:{digits}"


@register.filter
def period_range(period) -> str:
    """'10:00–14:00' for an opening period or a weekly rule."""
    return f"{clock(period.opens)}–{clock(period.closes, closing=True)}"


@register.inclusion_tag("components/service_card.html")
def service_card(service, heading_level: int = 3) -> dict:
    return {"service": service, "heading_level": heading_level}


@register.inclusion_tag("components/life_event_cards.html")
def life_event_cards(life_events, heading_level: int = 2) -> dict:
    """Life events as a grid of link cards (front page and the life events page)."""
    return {"life_events": life_events, "heading_level": heading_level}


@register.inclusion_tag("components/status_badge.html")
def status_badge(summary) -> dict:
    """The 'open now / opens …' line of a service point (a PointSummary from places.presentation)."""
    return {"summary": summary}


@register.inclusion_tag("components/hours_table.html")
def hours_table(days, caption: str, stops=None) -> dict:
    """A run of days (e.g. the coming week) as a table with a caption; today is marked.

    `stops` (the citizen bus's stops) names where the bus stands in each period.
    """
    stop_names = {stop.pk: stop.name for stop in stops or ()}
    rows = []
    for day in days:
        periods = []
        for period in day.periods:
            label = period_range(period)
            if period.stop_id in stop_names:
                label = f"{label}: {stop_names[period.stop_id]}"
            if period.note:
                label = f"{label} ({period.note})"
            periods.append(label)
        notes = [n for n in (day.closed_name or day.holiday_name, day.note) if n]
        rows.append({"date": day.date, "periods": periods, "note": ". ".join(notes)})
    return {
        "rows": rows,
        "caption": caption,
        "today": timezone.localdate(),
        "has_notes": any(row["note"] for row in rows),
    }


@register.inclusion_tag("components/accessibility_facts.html")
def accessibility_facts(point: ServicePoint, heading_id: str = "tilgaengelighed") -> dict:
    return {"point": point, "heading_id": heading_id}


@register.inclusion_tag("components/contact_footer.html")
def contact_footer() -> dict:
    """The phone line and chat, for the footer of every page (one small query)."""
    points = (
        ServicePoint.objects.published()
        .filter(kind__in=[ServicePointKind.PHONE, ServicePointKind.CHAT])
        .only("slug", "name", "kind", "phone", "email", "chat_url")
    )
    return {"contact_points": list(points)}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context) -> dict:
    """Breadcrumbs from the view's `breadcrumbs` list of (label, url); the last item is the page."""
    return {"items": context.get("breadcrumbs") or []}
