"""Workflows that change when the coach is open. Each locks the coach's calendar row, like a booking
does, so a booking commits either before the change (against the old hours) or after it."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction

from bookings import slots
from bookings.models import AvailabilityException, CoachCalendar, WeeklyHours, new_feed_token


def _locked(calendar: CoachCalendar) -> CoachCalendar:
    return CoachCalendar.objects.select_for_update().get(pk=calendar.pk)


def hours_replace(*, calendar: CoachCalendar, ranges: list[tuple[int, time, time]]) -> None:
    """Set the weekly hours; overlapping or inverted ranges are refused with a clear message."""
    wanted = [slots.WeeklyRange(weekday, start, end) for weekday, start, end in ranges]
    try:
        slots.validate_ranges(wanted)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_hours") from None
    with transaction.atomic():
        _locked(calendar)
        WeeklyHours.objects.filter(calendar=calendar).delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(calendar=calendar, weekday=r.weekday, start=r.start, end=r.end)
            for r in wanted
        )


def exception_add(
    *, calendar: CoachCalendar, date, kind: str, start: time | None, end: time | None
) -> AvailabilityException:
    """Add time off or extra hours on a date, refusing overlaps with the same kind that day."""
    with transaction.atomic():
        _locked(calendar)
        same_day = AvailabilityException.objects.filter(calendar=calendar, date=date)
        new = slots.DateException(date, start, end, kind)
        try:
            slots.validate_ranges([*(e.as_exception() for e in same_day), new])
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid_hours") from None
        return AvailabilityException.objects.create(
            calendar=calendar, date=date, kind=kind, start=start, end=end
        )


def exception_remove(*, exception: AvailabilityException) -> None:
    with transaction.atomic():
        _locked(exception.calendar)
        exception.delete()


def feed_token_regenerate(*, calendar: CoachCalendar) -> str:
    """A new secret for the private calendar feed; the old URL stops working at once."""
    calendar.feed_token = new_feed_token()
    calendar.save(update_fields=["feed_token"])
    return calendar.feed_token
