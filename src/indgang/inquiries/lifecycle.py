"""The inquiry lifecycle: its statuses and the changes between them that are allowed.

    received ─→ in progress ─→ awaiting citizen ─→ in progress …
        │            │                │
        └────────────┴────────────────┴─→ answered ─→ closed
                                            ↑   └──────→ in progress (reopen)
                                            closed ────→ in progress (reopen)

Only `inquiry_set_status()` in services.py changes a status; it records who, when, from and to.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CITIZEN = "awaiting_citizen", _("Awaiting the citizen")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


ALLOWED: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_CITIZEN, Status.ANSWERED, Status.CLOSED}
    ),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_CITIZEN, Status.ANSWERED, Status.CLOSED}),
    Status.AWAITING_CITIZEN: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED}),
    Status.ANSWERED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_CITIZEN})
# Going back to work on an answered or closed inquiry is a reopening.
REOPENED_FROM = frozenset({Status.ANSWERED, Status.CLOSED})


def allowed_next(status: str) -> frozenset[str]:
    return ALLOWED.get(status, frozenset())


class Channel(models.TextChoices):
    """How the citizen reached us."""

    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("Counter")
    LETTER = "letter", _("Letter")
    SOCIAL = "social", _("Social media")


# Channels that staff register by hand while or after talking to the citizen.
STAFF_REGISTERED_CHANNELS = (Channel.PHONE, Channel.COUNTER, Channel.LETTER, Channel.SOCIAL)


class SelfServiceObstacle(models.TextChoices):
    """Why a contact could not have been done by self-service (feeds the self-service statistics)."""

    NO_SELF_SERVICE = "no_self_service", _("There is no self-service for it")
    NO_MITID = "no_mitid", _("The citizen has no MitID")
    DIGITAL_SKILLS = "digital_skills", _("The citizen cannot use the self-service")
    LANGUAGE = "language", _("Language")
    NEEDS_GUIDANCE = "needs_guidance", _("Needed guidance or a person to talk to")
    EXEMPT = "exempt", _("Exempt from digital self-service")
    SELF_SERVICE_FAILED = "self_service_failed", _("The self-service did not work")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    TEAM = "team", _("Handed over to another team")
    ASSIGNEE = "assignee", _("Assigned")
    CITIZEN_MESSAGE = "citizen_message", _("Message from the citizen")
    REPLY = "reply", _("Answer sent to the citizen")
    NOTE = "note", _("Internal note")


class MessageKind(models.TextChoices):
    FROM_CITIZEN = "from_citizen", _("From the citizen")
    TO_CITIZEN = "to_citizen", _("To the citizen")
    INTERNAL_NOTE = "internal_note", _("Internal note")


class InvalidTransition(Exception):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: str, wanted: str):
        super().__init__(f"An inquiry cannot go from {current} to {wanted}")
        self.current, self.wanted = current, wanted
