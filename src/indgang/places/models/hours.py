import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MIDNIGHT = dt.time(0, 0)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def validate_period(opens: dt.time, closes: dt.time) -> None:
    """A period ends after it starts on the same day; 00:00 as closing time means midnight."""
    if closes != MIDNIGHT and closes <= opens:
        raise ValidationError(
            _("The closing time must be after the opening time (use 00:00 for midnight).")
        )


class WeeklyHours(models.Model):
    """One opening period on a weekday. Several per day make split shifts.

    Rules with a validity range (e.g. summer hours) replace the rules without one while they apply;
    the narrowest range that covers a date wins.
    """

    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="weekly_hours",
    )
    stop = models.ForeignKey(
        "places.BusStop",
        verbose_name=_("bus stop"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="weekly_hours",
        help_text=_("Only for the citizen bus: where it stands in this period."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'Appointments only'."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_point", "valid_from", "weekday", "opens"]
        verbose_name = _("weekly opening hours")
        verbose_name_plural = _("weekly opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None:
            validate_period(self.opens, self.closes)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(_("'Valid until' must not be before 'valid from'."))
        if (
            self.stop_id
            and self.service_point_id
            and self.stop.service_point_id != self.service_point_id
        ):
            raise ValidationError({"stop": _("The stop belongs to another service point.")})


class HoursException(models.Model):
    """A date or date range with other hours than usual: closed, special hours, or only a note."""

    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="hours_exceptions",
    )
    stop = models.ForeignKey(
        "places.BusStop",
        verbose_name=_("bus stop"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hours_exceptions",
        help_text=_("Only for the citizen bus: leave empty to change the whole bus route."),
    )
    starts_on = models.DateField(_("from date"))
    ends_on = models.DateField(
        _("to date"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a single day."),
    )
    closed = models.BooleanField(_("closed"), default=False)
    note = models.CharField(
        _("note for citizens"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. 'Closed for staff training' or 'Extra opening before the summer holiday'."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("exception to opening hours")
        verbose_name_plural = _("exceptions to opening hours")

    def __str__(self) -> str:
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{self.starts_on}–{self.ends_on}"
        return str(self.starts_on)

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
        if (
            self.stop_id
            and self.service_point_id
            and self.stop.service_point_id != self.service_point_id
        ):
            raise ValidationError({"stop": _("The stop belongs to another service point.")})


class SpecialPeriod(models.Model):
    """Opening period on the days of an exception; replaces the usual hours of those days."""

    exception = models.ForeignKey(
        HoursException,
        verbose_name=_("exception"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["opens"]
        verbose_name = _("special opening period")
        verbose_name_plural = _("special opening periods")

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None:
            validate_period(self.opens, self.closes)


class ClosingDay(models.Model):
    """A day the municipality closes on top of the public holidays (Grundlovsdag, 24 December …).

    Give exactly one of: a single date, a yearly day (month and day), or a number of days after
    Easter Sunday (40 is the Friday after Ascension Day).
    """

    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date (once)"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month (every year)"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day (every year)"), null=True, blank=True)
    easter_offset = models.SmallIntegerField(
        _("days after Easter Sunday (every year)"),
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "day", "date"]
        verbose_name = _("municipal closing day")
        verbose_name_plural = _("municipal closing days")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        kinds = [
            self.date is not None,
            self.month is not None or self.day is not None,
            self.easter_offset is not None,
        ]
        if sum(kinds) != 1:
            raise ValidationError(
                _("Give either a date, or a month and day, or a number of days after Easter.")
            )
        if kinds[1]:
            if self.month is None or self.day is None:
                raise ValidationError(_("Give both month and day."))
            try:
                dt.date(2024, self.month, self.day)  # a leap year accepts 29 February
            except ValueError as exc:
                raise ValidationError(_("That month and day do not exist.")) from exc
