"""Which team handles an inquiry: staff-edited rules first (first match wins), then defaults."""

from __future__ import annotations

from indgang.catalogue.models import Service

from .models import RoutingRule, Team


def _matches(rule: RoutingRule, *, service: Service | None, channel: str, text: str) -> bool:
    if rule.service_id and (service is None or rule.service_id != service.pk):
        return False
    if rule.kle_prefix:
        number = service.kle.number if service is not None and service.kle_id else ""
        if not number.startswith(rule.kle_prefix):
            return False
    if rule.channel and rule.channel != channel:
        return False
    words = rule.word_list()
    return not words or any(word in text for word in words)


def team_for(*, service: Service | None, channel: str, text: str) -> Team | None:
    """The first active rule that matches wins. Without one: the team of the department that
    handles the service; for other authorities' services and unknown needs: the front office."""
    folded = text.casefold()
    rules = (
        RoutingRule.objects.filter(active=True).select_related("team").order_by("position", "pk")
    )
    for rule in rules:
        if _matches(rule, service=service, channel=channel, text=folded):
            return rule.team
    if service is not None and service.department_id:
        team = Team.objects.filter(department_id=service.department_id).order_by("pk").first()
        if team is not None:
            return team
    return Team.objects.filter(is_front_office=True).order_by("pk").first()
