from .contacts import Contact, ContactChannel, ContactOutcome, ContactSource

__all__ = ["Contact", "ContactChannel", "ContactOutcome", "ContactSource"]
