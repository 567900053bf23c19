from .hours import ClosingDay, HoursException, SpecialPeriod, Weekday, WeeklyHours
from .points import BusStop, ServiceOffering, ServicePoint, ServicePointKind

__all__ = [
    "BusStop",
    "ClosingDay",
    "HoursException",
    "ServiceOffering",
    "ServicePoint",
    "ServicePointKind",
    "SpecialPeriod",
    "WeeklyHours",
    "Weekday",
]
