"""factory_boy factories for inquiries and teams."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.inquiries.lifecycle import Channel
from indgang.inquiries.models import Inquiry, RoutingRule, Team
from indgang.inquiries.references import reference_generate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"medarbejder{n}")
    is_staff = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    team = factory.SubFactory(TeamFactory)
    position = factory.Sequence(lambda n: n)


class InquiryFactory(factory.django.DjangoModelFactory):
    """A bare inquiry row; use services.inquiry_submit when the intake itself matters."""

    class Meta:
        model = Inquiry

    reference = factory.LazyFunction(reference_generate)
    channel = Channel.WEB
    description = "Jeg har et spørgsmål om mit pas."
    citizen_name = "Karen Jensen"
    citizen_email = "karen@example.dk"
    received_at = factory.LazyFunction(timezone.now)
    team = factory.SubFactory(TeamFactory)
