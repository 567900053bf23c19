"""factory_boy factories for the catalogue. Defaults make a valid, published-ready row."""

import datetime as dt

import factory

from indgang.catalogue.models import (
    Authority,
    Department,
    KleEntry,
    LifeEvent,
    LifeEventStep,
    PublicationStatus,
    Service,
)


class KleEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KleEntry
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"23.{n // 100 % 100:02d}.{n % 100:02d}")
    level = "topic"
    title = factory.Sequence(lambda n: f"KLE-emne {n}")
    source_publication = dt.date(2025, 1, 1)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"afdeling-{n}")
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    phone = "70 10 20 30"
    phone_hours = "Mandag–fredag 9–15"
    email = factory.LazyAttribute(lambda o: f"{o.slug}@fjordby.example")
    website = "https://fjordby.example/"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"myndighed-{n}")
    name = factory.Sequence(lambda n: f"Myndighed {n}")
    phone = "70 12 80 61"
    website = "https://www.borger.dk/"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"ydelse-{n}")
    title = factory.Sequence(lambda n: f"Ydelse {n}")
    summary = "En kort forklaring i et klart sprog."
    department = factory.SubFactory(DepartmentFactory)
    status = PublicationStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=PublicationStatus.DRAFT)


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"livssituation-{n}")
    title = factory.Sequence(lambda n: f"Livssituation {n}")
    summary = "Det skal du gøre, og det sker af sig selv."
    sort_order = factory.Sequence(lambda n: n)
    status = PublicationStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=PublicationStatus.DRAFT)


class LifeEventStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEventStep

    life_event = factory.SubFactory(LifeEventFactory)
    position = factory.Sequence(lambda n: n)
    service = factory.SubFactory(ServiceFactory)
    title = factory.Sequence(lambda n: f"Trin {n}")
