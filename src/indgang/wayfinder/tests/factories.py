"""factory_boy factories for the wayfinder's query log."""

import factory
from django.utils import timezone

from indgang.wayfinder.models import WayfinderFeedback, WayfinderQuery


class WayfinderQueryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WayfinderQuery

    text = factory.Sequence(lambda n: f"søgning {n}")
    normalised = factory.LazyAttribute(lambda o: " ".join(o.text.casefold().split()))
    language = "da"
    best_slug = ""
    confident = False
    match_count = 0
    created_at = factory.LazyFunction(timezone.now)


class WayfinderFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WayfinderFeedback

    query = factory.SubFactory(WayfinderQueryFactory, confident=True, match_count=1)
    helpful = False
