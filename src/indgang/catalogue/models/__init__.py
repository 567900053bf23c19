from .kle import KleEntry, KleLevel
from .life_events import LifeEvent, LifeEventStep
from .organisations import Authority, Department
from .services import PublicationStatus, Service

__all__ = [
    "Authority",
    "Department",
    "KleEntry",
    "KleLevel",
    "LifeEvent",
    "LifeEventStep",
    "PublicationStatus",
    "Service",
]
