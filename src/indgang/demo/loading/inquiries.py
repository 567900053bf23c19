"""Teams, routing rules and a handful of inquiries, so the staff inbox has something to show.

One team per department, named after it; Borgerservice is the front office. The demo logins are
members: the clerk and the manager of Borgerservice, the specialist of Ydelseskontoret and of
Sundhed og Omsorg; the administrator of none (administrators do not read inquiries). Demo
inquiries are created once and then left alone: staff may work on them between runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.catalogue.models import Department, Service
from indgang.inquiries.lifecycle import Channel, SelfServiceObstacle, Status
from indgang.inquiries.models import Inquiry, RoutingRule, Team

from ..records import upsert

FRONT_OFFICE = "borgerservice"
MEMBERS = {
    "borgerservice": ("clerk", "manager"),
    "ydelser": ("specialist",),
    "sundhed-og-omsorg": ("specialist",),
}
# (position, team's department, conditions, why)
RULES = (
    (10, "sundhed-og-omsorg", {"words": "rollator, kørestol, badebænk"}, "Hjælpemidler"),
    (20, "ydelser", {"kle_prefix": "32.21"}, "Hjælp i særlige tilfælde"),
    (30, "borgerservice", {"channel": Channel.SOCIAL}, "Sociale medier besvares i Borgerservice"),
)


@dataclass(frozen=True)
class DemoInquiry:
    name: str
    subject: str
    text: str
    service: str
    channel: str
    days_ago: int
    email: str = ""
    phone: str = ""
    status: str = Status.RECEIVED
    assignee: str = ""
    registered_by: str = ""
    failed_receipt: bool = False


INQUIRIES = (
    DemoInquiry(
        name="Karen Demo",
        subject="Tandlægeregning",
        text=(
            "Jeg har fået en regning fra tandlægen på 6.000 kr. og kan ikke betale den. "
            "Kan jeg få hjælp? Mit CPR-nummer er 010203-1234."
        ),
        service="enkeltudgifter",
        channel=Channel.WEB,
        days_ago=1,
        email="karen.demo@example.invalid",
    ),
    DemoInquiry(
        name="Hans Demo",
        subject="Pas til barnebarn",
        text="Spurgte hvad et barn skal medbringe til pas. Fik svar i telefonen.",
        service="pas",
        channel=Channel.PHONE,
        days_ago=0,
        phone="20 30 40 50",
        status=Status.CLOSED,
        registered_by="clerk",
    ),
    DemoInquiry(
        name="Ali Demo",
        subject="Boligstøtte",
        text="Hvordan søger jeg boligstøtte? Jeg er lige flyttet til en lejlighed i Fjordby.",
        service="boligstoette",
        channel=Channel.EMAIL,
        days_ago=2,
        email="ali.demo@example.invalid",
        failed_receipt=True,
    ),
    DemoInquiry(
        name="Inger Demo",
        subject="Hjemmehjælp til min mor",
        text="Min mor på 88 har svært ved at klare rengøringen efter sin hofteoperation.",
        service="hjemmehjaelp",
        channel=Channel.WEB,
        days_ago=25,
        email="inger.demo@example.invalid",
        status=Status.IN_PROGRESS,
        assignee="specialist",
    ),
    DemoInquiry(
        name="Per Demo",
        subject="Beboerlicens",
        text="Brev: Jeg vil søge om beboerlicens til parkering i midtbyen.",
        service="beboerparkering",
        channel=Channel.LETTER,
        days_ago=4,
        status=Status.AWAITING_CITIZEN,
        registered_by="clerk",
    ),
    DemoInquiry(
        name="Sofie Demo",
        subject="Flytning",
        text="Jeg flytter den 1. i næste måned. Skal jeg selv melde flytning?",
        service="flytning",
        channel=Channel.WEB,
        days_ago=6,
        status=Status.ANSWERED,
    ),
)


def _teams_sync(departments: dict[str, Department]) -> dict[str, Team]:
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in=["clerk", "manager", "specialist"])
    }
    teams = {}
    for slug, department in departments.items():
        team = upsert(
            Team,
            lookup={"slug": slug},
            values={
                "name": department.name,
                "department": department,
                "email": department.email,
                "is_front_office": slug == FRONT_OFFICE,
            },
            label=f"team {slug!r}",
        )
        wanted = {users[name].pk for name in MEMBERS.get(slug, ()) if name in users}
        current = set(team.members.values_list("pk", flat=True))
        # Only add: members added by hand stay, and an unchanged team gets no new history.
        if wanted - current:
            team.members.add(*(wanted - current))
        teams[slug] = team
    return teams


def _rules_sync(teams: dict[str, Team]) -> None:
    for position, slug, conditions, why in RULES:
        if slug not in teams:
            continue
        values = {"active": True, "service": None, "kle_prefix": "", "channel": "", "words": ""}
        values.update(conditions)
        values["note"] = why
        upsert(
            RoutingRule,
            lookup={"position": position, "team": teams[slug]},
            values=values,
            label=f"routing rule {position}",
        )


def _inquiries_create(today: dt.date) -> None:
    from indgang.inquiries.services import (
        inquiry_assign,
        inquiry_reply,
        inquiry_set_status,
        inquiry_submit,
    )

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "specialist"])}
    services = Service.objects.in_bulk([d.service for d in INQUIRIES], field_name="slug")
    for demo in INQUIRIES:
        service = services.get(demo.service)
        if (
            service is None
            or Inquiry.objects.filter(citizen_name=demo.name, subject=demo.subject).exists()
        ):
            continue
        received_at = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=demo.days_ago), dt.time(10, 15))
        )
        clerk = users.get(demo.registered_by)
        registered = {}
        if clerk is not None:
            registered = {
                "registered_by": clerk,
                "resolved_on_first_contact": demo.status == Status.CLOSED,
                "self_service_possible": False,
                "self_service_obstacle": SelfServiceObstacle.NEEDS_GUIDANCE,
            }
        inquiry = inquiry_submit(
            channel=demo.channel,
            description=demo.text,
            subject=demo.subject,
            service=service,
            name=demo.name,
            email=demo.email,
            phone=demo.phone,
            received_at=received_at,
            suggest_service=False,
            send_receipt=demo.failed_receipt,
            **registered,
        )
        if demo.failed_receipt:
            inquiry.outbound_emails.update(
                attempts=5,
                failed_at=timezone.now(),
                next_attempt_at=None,
                last_error="SMTP 451 4.3.0 Temporary server error (demo)",
            )
        if demo.assignee in users:
            inquiry_assign(inquiry=inquiry, assignee=users[demo.assignee], by=users[demo.assignee])
        if demo.status == Status.ANSWERED:
            inquiry_reply(
                inquiry=inquiry,
                body="Ja, du melder flytning på borger.dk senest 5 dage efter, du er flyttet.",
                by=None,
                status=Status.ANSWERED,
            )
        elif demo.status in (Status.IN_PROGRESS, Status.AWAITING_CITIZEN):
            inquiry_set_status(inquiry=inquiry, status=demo.status)


def demo_inquiries_load(*, departments: dict[str, Department], today: dt.date) -> int:
    """Teams for the departments, a few routing rules, demo inquiries; returns the team count."""
    teams = _teams_sync(departments)
    _rules_sync(teams)
    _inquiries_create(today)
    return len(teams)
