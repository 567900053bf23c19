import factory

from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import Desk, Queue


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue

    service_point = factory.SubFactory(ServicePointFactory)
    code = factory.Sequence(lambda n: "ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23])
    name = factory.Sequence(lambda n: f"Kø {n}")


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    service_point = factory.SubFactory(ServicePointFactory)
    name = factory.Sequence(lambda n: f"Skranke {n}")
    kind = DeskKind.COUNTER
