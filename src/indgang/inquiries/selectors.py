"""Reads for inquiries, and who may see what.

The access rules, in one place (`inquiry_access`):

- Members of the team that handles an inquiry see it in full. An inquiry no team was found for
  lands with the front office, so members of a front-office team see those in full.
- Nobody else sees the content of an inquiry: not administrators, not superusers. That keeps
  inquiries about sensitive services (health, social matters) with the handling team only.
- A front-office clerk (group Borgerservicemedarbejder) who looks up another team's inquiry by
  its reference sees that it exists: its status, team and answer date, nothing else. The citizen
  at the counter can be told where their inquiry is.
- Everyone else sees nothing; the pages answer 404, as if the inquiry did not exist.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from .lifecycle import OPEN_STATUSES, Channel, Status
from .models import Inquiry, Team
from .references import reference_parse

FRONT_OFFICE_GROUP = "Borgerservicemedarbejder"


class Access(enum.Enum):
    FULL = "full"
    EXISTENCE = "existence"
    NONE = "none"


@dataclass(frozen=True)
class StaffScope:
    """What a member of staff can see, read once per request."""

    team_ids: frozenset[int]
    front_office_member: bool  # a member of a front-office team: also sees unrouted inquiries
    front_office_clerk: bool  # in the clerk group: may see that other teams' inquiries exist

    @property
    def sees_unrouted(self) -> bool:
        return self.front_office_member


_NOBODY = StaffScope(frozenset(), False, False)


def is_active_staff(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def staff_scope(*, user) -> StaffScope:
    """The user's teams and front-office standing; cached on the user object for the request."""
    if not is_active_staff(user):
        return _NOBODY
    cached = getattr(user, "_inquiries_staff_scope", None)
    if cached is not None:
        return cached
    teams = list(Team.objects.filter(members=user).values_list("pk", "is_front_office"))
    scope = StaffScope(
        team_ids=frozenset(pk for pk, _front in teams),
        front_office_member=any(front for _pk, front in teams),
        front_office_clerk=user.groups.filter(name=FRONT_OFFICE_GROUP).exists(),
    )
    user._inquiries_staff_scope = scope
    return scope


def _full_access_q(scope: StaffScope) -> Q:
    q = Q(team_id__in=scope.team_ids)
    if scope.sees_unrouted:
        q |= Q(team__isnull=True)
    return q


def inquiry_access(*, user, inquiry: Inquiry) -> Access:
    """How much of `inquiry` the user may see (see the module's docstring for the rules)."""
    scope = staff_scope(user=user)
    if not is_active_staff(user):
        return Access.NONE
    if inquiry.team_id is not None and inquiry.team_id in scope.team_ids:
        return Access.FULL
    if inquiry.team_id is None and scope.sees_unrouted:
        return Access.FULL
    if scope.front_office_clerk:
        return Access.EXISTENCE
    return Access.NONE


def inquiry_get_for(*, user, reference: str) -> tuple[Inquiry | None, Access]:
    """The inquiry with this reference (read forgivingly) and the user's access to it.

    (None, NONE) when there is no such inquiry or the user may not know about it.
    """
    canonical = reference_parse(reference)
    if canonical is None or not is_active_staff(user):
        return None, Access.NONE
    inquiry = (
        Inquiry.objects.select_related("team", "assignee", "service__department")
        .select_related("service__authority", "registered_by")
        .filter(reference=canonical)
        .first()
    )
    if inquiry is None:
        return None, Access.NONE
    access = inquiry_access(user=user, inquiry=inquiry)
    return (inquiry if access is not Access.NONE else None), access


class DueFilter(enum.StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"


class AssignedFilter(enum.StrEnum):
    ME = "me"
    UNASSIGNED = "unassigned"


class Sort(enum.StrEnum):
    DUE = "due"
    DUE_LAST = "-due"
    NEWEST = "-received"
    OLDEST = "received"


# The status filter's own values beside the statuses: every open inquiry (the default), or all.
STATUS_OPEN = "open"
STATUS_ALL = "all"


@dataclass(frozen=True)
class InboxFilters:
    team: int | None = None
    status: str = STATUS_OPEN
    channel: str = ""
    due: str = ""
    assigned: str = ""
    q: str = ""
    sort: str = Sort.DUE


def _without_status(qs: QuerySet[Inquiry], *, user, filters: InboxFilters) -> QuerySet[Inquiry]:
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.channel in Channel.values:
        qs = qs.filter(channel=filters.channel)
    today = timezone.localdate()
    if filters.due == DueFilter.OVERDUE:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif filters.due == DueFilter.TODAY:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on=today)
    elif filters.due == DueFilter.WEEK:
        qs = qs.filter(
            status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=today + dt.timedelta(days=7)
        )
    if filters.assigned == AssignedFilter.ME:
        qs = qs.filter(assignee_id=user.pk)
    elif filters.assigned == AssignedFilter.UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    q = filters.q.strip()
    if q:
        reference = reference_parse(q)
        if reference:
            qs = qs.filter(reference=reference)
        else:
            qs = qs.filter(
                Q(reference__icontains=q)
                | Q(subject__icontains=q)
                | Q(description__icontains=q)
                | Q(citizen_name__icontains=q)
                | Q(citizen_email__icontains=q)
            )
    return qs


def _with_status(qs: QuerySet[Inquiry], status: str) -> QuerySet[Inquiry]:
    if status == STATUS_OPEN:
        return qs.filter(status__in=OPEN_STATUSES)
    if status in Status.values:
        return qs.filter(status=status)
    return qs


def _sorted(qs: QuerySet[Inquiry], sort: str) -> QuerySet[Inquiry]:
    if sort == Sort.DUE_LAST:
        return qs.order_by(F("due_on").desc(nulls_last=True), "-received_at", "-pk")
    if sort == Sort.NEWEST:
        return qs.order_by("-received_at", "-pk")
    if sort == Sort.OLDEST:
        return qs.order_by("received_at", "pk")
    return qs.order_by(F("due_on").asc(nulls_last=True), "received_at", "pk")


def inquiry_list_for(*, user, filters: InboxFilters | None = None) -> QuerySet[Inquiry]:
    """The inquiries the user handles (own teams' and, for the front office, unrouted ones),
    narrowed and sorted by `filters`. Nothing for anyone else."""
    filters = filters or InboxFilters()
    scope = staff_scope(user=user)
    if not is_active_staff(user) or not (scope.team_ids or scope.sees_unrouted):
        return Inquiry.objects.none()
    qs = Inquiry.objects.filter(_full_access_q(scope)).select_related("team", "assignee", "service")
    qs = _with_status(_without_status(qs, user=user, filters=filters), filters.status)
    return _sorted(qs, filters.sort)


def inquiry_status_counts_for(*, user, filters: InboxFilters | None = None) -> dict[str, int]:
    """How many of the user's inquiries are in each status (the other filters applied), in one
    query; keys are the statuses plus "open" and "all"."""
    filters = filters or InboxFilters()
    scope = staff_scope(user=user)
    counts = {status: 0 for status in Status.values} | {STATUS_OPEN: 0, STATUS_ALL: 0}
    if not is_active_staff(user) or not (scope.team_ids or scope.sees_unrouted):
        return counts
    qs = _without_status(Inquiry.objects.filter(_full_access_q(scope)), user=user, filters=filters)
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    row = qs.aggregate(**aggregates, **{STATUS_ALL: Count("pk")})
    counts.update({key: value or 0 for key, value in row.items()})
    counts[STATUS_OPEN] = sum(counts[s] for s in OPEN_STATUSES)
    return counts


def staff_teams_for(*, user) -> QuerySet[Team]:
    scope = staff_scope(user=user)
    return Team.objects.filter(pk__in=scope.team_ids).order_by("name")


def inquiry_thread(*, inquiry: Inquiry) -> dict:
    """What the detail page shows beside the inquiry: messages, events, files, e-mails."""
    return {
        "messages": list(inquiry.messages.select_related("author").prefetch_related("attachments")),
        "events": list(inquiry.events.select_related("actor")),
        "attachments": list(inquiry.attachments.all()),
        "emails": list(inquiry.outbound_emails.order_by("created_at", "pk")),
    }
