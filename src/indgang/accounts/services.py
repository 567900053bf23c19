"""Staff groups: who may do what in the staff pages."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

CATALOGUE = "catalogue"
PLACES = "places"
WAYFINDER = "wayfinder"
INQUIRIES = "inquiries"
VISITS = "visits"

# Group names are data shown to staff, so they are Danish. Each maps to permissions as
# (app_label, model or "*", actions); an action is a prefix (view, add …) or a whole codename.
# Who sees which inquiry is decided by team membership (inquiries/selectors.py), not here.
STAFF_GROUPS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    # Administrators keep the catalogue, places, hours and staff accounts, and read what citizens
    # searched for without a good answer (masked) to add keywords.
    "Administrator": [
        (CATALOGUE, "*", ("view", "add", "change", "delete")),
        (PLACES, "*", ("view", "add", "change", "delete")),
        (WAYFINDER, "*", ("view",)),
        ("auth", "user", ("view", "add", "change")),
        ("auth", "group", ("view",)),
        # Teams and routing rules; the deletion log holds no personal data.
        (INQUIRIES, "team", ("view", "add", "change", "delete")),
        (INQUIRIES, "routingrule", ("view", "add", "change", "delete")),
        (INQUIRIES, "deletionlogentry", ("view",)),
        # Queues, desks, booking windows and days without bookings at each service point.
        (VISITS, "queue", ("view", "add", "change", "delete")),
        (VISITS, "desk", ("view", "add", "change", "delete")),
        (VISITS, "bookingpolicy", ("view", "add", "change", "delete")),
        (VISITS, "blockeddate", ("view", "add", "change", "delete")),
    ],
    # Front-office clerks look everything up and can close a counter for a day (illness, outage).
    "Borgerservicemedarbejder": [
        (CATALOGUE, "*", ("view",)),
        (PLACES, "*", ("view",)),
        (PLACES, "hoursexception", ("add", "change")),
        (PLACES, "specialperiod", ("add", "change", "delete")),
        # Register phone, counter, letter and social-media contacts.
        (INQUIRIES, "inquiry", ("add_inquiry",)),
        (INQUIRIES, "team", ("view",)),
        # Serve at the desks (call, serve, transfer tickets) and check in appointments.
        (VISITS, "queue", ("view",)),
        (VISITS, "desk", ("view",)),
        (VISITS, "desksession", ("view", "add", "change")),
        (VISITS, "ticket", ("view", "change")),
        (VISITS, "appointment", ("view", "change")),
    ],
    # Department staff keep the text and keywords of the services their department handles.
    "Fagmedarbejder": [
        (CATALOGUE, "*", ("view",)),
        (CATALOGUE, "service", ("change",)),
        (CATALOGUE, "lifeeventstep", ("change",)),
        (PLACES, "*", ("view",)),
        (INQUIRIES, "inquiry", ("add_inquiry",)),
        (INQUIRIES, "team", ("view",)),
    ],
    # Managers decide opening hours and which services each service point offers, and follow
    # which needs the wayfinder does not answer.
    "Leder": [
        (CATALOGUE, "*", ("view",)),
        (PLACES, "*", ("view", "add", "change", "delete")),
        (WAYFINDER, "*", ("view",)),
        # Who read which inquiry (the access log), and how inquiries are routed.
        (INQUIRIES, "inquiry", ("view_access_log",)),
        (INQUIRIES, "accesslogentry", ("view",)),
        (INQUIRIES, "team", ("view",)),
        (INQUIRIES, "routingrule", ("view",)),
        (INQUIRIES, "deletionlogentry", ("view",)),
        # The day at the desks: tickets, appointments and who sat where.
        (VISITS, "*", ("view",)),
        # The insight dashboard: contact statistics (no personal data).
        ("insight", "*", ("view",)),
        # What-if scenarios and placement of service points, for the council.
        ("scenarios", "*", ("view", "add", "change", "delete")),
    ],
}


def _permissions_for(app_label: str, model: str, actions: tuple[str, ...]) -> list[Permission]:
    qs = Permission.objects.filter(content_type__app_label=app_label)
    if model != "*":
        qs = qs.filter(content_type__model=model)
    wanted = [
        p
        for p in qs.select_related("content_type")
        if p.codename in actions or p.codename.split("_", 1)[0] in actions
    ]
    # Historical (change history) models are read-only records, never edited by hand.
    return [p for p in wanted if not p.content_type.model.startswith("historical")]


@transaction.atomic
def staff_groups_sync() -> dict[str, Group]:
    """Create or update the staff groups so that they hold exactly the permissions above."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    groups = {}
    for name, grants in STAFF_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = [p for grant in grants for p in _permissions_for(*grant)]
        group.permissions.set(perms)
        groups[name] = group
    return groups
