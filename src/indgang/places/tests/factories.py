import datetime as dt

import factory

from indgang.places.models import (
    BusStop,
    ClosingDay,
    HoursException,
    ServicePoint,
    ServicePointKind,
    SpecialPeriod,
    WeeklyHours,
)


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    slug = factory.Sequence(lambda n: f"sted-{n}")
    name = factory.Sequence(lambda n: f"Borgerservice {n}")
    kind = ServicePointKind.TOWN_HALL
    street_address = "Torvet 1"
    postcode = "4990"
    city = "Fjordby"
    published = True

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        """ServicePointFactory(weekdays=[("10:00", "14:00")]) opens Monday–Friday in those periods."""
        for opens, closes in extracted or []:
            for weekday in range(5):
                WeeklyHours.objects.create(
                    service_point=self,
                    weekday=weekday,
                    opens=dt.time.fromisoformat(opens),
                    closes=dt.time.fromisoformat(closes),
                )


class WeeklyHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyHours

    service_point = factory.SubFactory(ServicePointFactory)
    weekday = 0
    opens = dt.time(10)
    closes = dt.time(14)


class BusStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusStop

    service_point = factory.SubFactory(ServicePointFactory, kind=ServicePointKind.CITIZEN_BUS)
    name = factory.Sequence(lambda n: f"Stoppested {n}")


class HoursExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursException

    service_point = factory.SubFactory(ServicePointFactory)
    starts_on = dt.date(2026, 12, 2)
    closed = True


class SpecialPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialPeriod

    exception = factory.SubFactory(HoursExceptionFactory, closed=False)
    opens = dt.time(9)
    closes = dt.time(12)


class ClosingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingDay

    name = "Grundlovsdag"
    month = 6
    day = 5
