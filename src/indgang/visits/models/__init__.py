from .appointments import Appointment, AppointmentEvent, BlockedDate, BookingPolicy
from .queues import Desk, DeskSession, Queue
from .tickets import QueueDayCounter, Ticket, TicketEvent

__all__ = [
    "Appointment",
    "AppointmentEvent",
    "BlockedDate",
    "BookingPolicy",
    "Desk",
    "DeskSession",
    "Queue",
    "QueueDayCounter",
    "Ticket",
    "TicketEvent",
]
