from .inquiry import Attachment, Inquiry, InquiryEvent, InquiryMessage
from .mail import OutboundEmail
from .privacy import AccessLogEntry, DeletionLogEntry, TrackingAttempt, TrackingCode
from .teams import RoutingRule, Team

__all__ = [
    "AccessLogEntry",
    "Attachment",
    "DeletionLogEntry",
    "Inquiry",
    "InquiryEvent",
    "InquiryMessage",
    "OutboundEmail",
    "RoutingRule",
    "Team",
    "TrackingAttempt",
    "TrackingCode",
]
