"""Demo staff logins, one per staff group, so every role can be tried in the admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from indgang.accounts.services import STAFF_GROUPS, staff_groups_sync

from ..records import validate

DEMO_PASSWORD = "indgang-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    group: str
    first_name: str
    last_name: str
    superuser: bool = False


DEMO_LOGINS = (
    DemoLogin("admin", "Administrator", "Ada", "Administrator", superuser=True),
    DemoLogin("clerk", "Borgerservicemedarbejder", "Bo", "Borgerservice"),
    DemoLogin("specialist", "Fagmedarbejder", "Frida", "Fagmedarbejder"),
    DemoLogin("manager", "Leder", "Lars", "Leder"),
)


def demo_staff_sync() -> list[DemoLogin]:
    """Create or reset the demo logins: staff, active, in their group, with the demo password."""
    groups = {g.name: g for g in Group.objects.filter(name__in=STAFF_GROUPS)}
    if len(groups) < len(STAFF_GROUPS):
        groups = staff_groups_sync()
    User = get_user_model()
    # Hashing is slow on purpose; the demo logins share one known password, so hash it once.
    password = make_password(DEMO_PASSWORD)
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.first_name = login.first_name
        user.last_name = login.last_name
        user.is_active = True
        user.is_staff = True
        user.is_superuser = login.superuser
        user.password = password
        validate(user, f"demo login {login.username!r}")
        user.save()
        user.groups.set([groups[login.group]])
    return list(DEMO_LOGINS)
