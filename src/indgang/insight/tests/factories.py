"""factory_boy factories for the contact statistics."""

import datetime as dt

import factory

from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource


class ContactFactory(factory.django.DjangoModelFactory):
    """A served phone call at 10:00 UTC on Monday 2 March 2026, waiting 30 s and talking 4 min."""

    class Meta:
        model = Contact

    channel = ContactChannel.PHONE
    arrived_at = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    started_at = factory.LazyAttribute(lambda o: o.arrived_at + dt.timedelta(seconds=30))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(minutes=4))
    outcome = ContactOutcome.SERVED
    source = ContactSource.DEMO
    source_key = factory.Sequence(lambda n: f"factory:{n}")
