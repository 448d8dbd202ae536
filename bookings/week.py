"""The coach's calendar as the coach reads it: the week, and the sessions booked in time off.

Everything is computed here from a fixed number of queries; templates only display it. The week
is a column a day on a time grid (rows of `ROW_MINUTES`), in the coach's zone: the open hours,
the time off and the bookings are placed on it by their wall-clock times.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings import slots
from bookings.models import AvailabilityException, Booking, CoachCalendar

ROW_MINUTES = 5
EARLIEST_HOUR, LATEST_HOUR = 8, 18  # the grid shows at least these hours


@dataclass(frozen=True, order=True)
class Rows:
    """Where a piece sits on a day's grid: CSS grid lines, the first one inclusive."""

    first: int
    last: int


@dataclass(frozen=True)
class Span:
    start: time
    end: time  # time.max: until midnight
    rows: Rows | None = None


@dataclass(frozen=True)
class WeekBooking:
    booking: Booking
    span: Span
    in_time_off: bool


@dataclass
class WeekDay:
    date: date
    is_today: bool
    state: Literal["open", "day_off", "not_working"]
    open: list[Span]
    time_off: list[Span]  # parts of the day off (a whole day off is `state`)
    bookings: list[WeekBooking] = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    first: date
    zone: ZoneInfo
    days: list[WeekDay]
    hours: list[Span]  # one per grid hour, for the labels
    rows: int  # grid rows of a day

    @property
    def placements(self) -> list[Rows]:
        """Every distinct grid position used: the page's stylesheet has one rule for each."""
        spans = [*self.hours]
        for day in self.days:
            spans += [*day.open, *day.time_off, *(booking.span for booking in day.bookings)]
        return sorted({span.rows for span in spans})


def week_view(calendar: CoachCalendar, first: date, *, now: datetime | None = None) -> Week:
    """The seven days from `first` (a Monday): three queries (hours, time off, bookings)."""
    tz = calendar.zone
    today = (now or timezone.now()).astimezone(tz).date()
    dates = [first + timedelta(days=n) for n in range(7)]
    exceptions = list(calendar.exceptions.filter(date__gte=dates[0], date__lte=dates[-1]))
    open_ranges = slots.open_wall_ranges(
        dates,
        weekly=[hours.as_range() for hours in calendar.hours.all()],
        exceptions=[exception.as_exception() for exception in exceptions],
    )
    days = {day: _day(day, today, open_ranges[day], exceptions) for day in dates}
    off = [exception.interval(tz) for exception in exceptions if exception.kind == "off"]
    start = datetime.combine(dates[0], time.min, tz)
    end = datetime.combine(dates[-1] + timedelta(days=1), time.min, tz)
    for booking in _shown_bookings(calendar, start, end):
        local_start, local_end = booking.start.astimezone(tz), booking.end.astimezone(tz)
        if local_start < start:  # began the evening before the week: shown from midnight
            local_start = start
        until = local_end.time() if local_end.date() == local_start.date() else time.max
        clash = any(
            booking.start < off_end and booking.end > off_start for off_start, off_end in off
        )
        days[local_start.date()].bookings.append(
            WeekBooking(booking, Span(local_start.time(), until), in_time_off=clash)
        )
    hours, rows = _place_on_grid(list(days.values()))
    return Week(first, tz, list(days.values()), hours, rows)


def _day(day: date, today: date, open_ranges, exceptions) -> WeekDay:
    offs = [e for e in exceptions if e.date == day and e.kind == "off"]
    whole_day_off = any(e.start is None for e in offs)
    state = "day_off" if whole_day_off else "open" if open_ranges else "not_working"
    return WeekDay(
        date=day,
        is_today=day == today,
        state=state,
        open=[Span(start, end) for start, end in open_ranges],
        time_off=[Span(e.start, e.end) for e in offs if e.start is not None],
    )


def _shown_bookings(calendar: CoachCalendar, start: datetime, end: datetime):
    statuses = (*Booking.BLOCKING_FINAL, "attended", "no_show")
    return (
        Booking.objects.filter(calendar=calendar, status__in=statuses)
        .overlapping(start, end)
        .select_related("session_type")
        .order_by("start")
    )


def _place_on_grid(days: list[WeekDay]) -> tuple[list[Span], int]:
    """Give every span of the days its grid rows; the grid's hours (at least 08:00 to 18:00,
    widened to fit everything) and its number of rows."""
    spans = [
        span
        for day in days
        for span in (*day.open, *day.time_off, *(booking.span for booking in day.bookings))
    ]
    first_hour = min([EARLIEST_HOUR, *(span.start.hour for span in spans)])
    last_minute = max([LATEST_HOUR * 60, *(_minutes(span.end) for span in spans)])
    last_hour = -(-last_minute // 60)

    def placed(span: Span) -> Span:
        first = (_minutes(span.start) - first_hour * 60) // ROW_MINUTES + 1
        last = -(-(_minutes(span.end) - first_hour * 60) // ROW_MINUTES) + 1
        return Span(span.start, span.end, Rows(first, max(last, first + 1)))

    for day in days:
        day.open = [placed(span) for span in day.open]
        day.time_off = [placed(span) for span in day.time_off]
        day.bookings = [WeekBooking(b.booking, placed(b.span), b.in_time_off) for b in day.bookings]
    hours = [placed(Span(time(hour), _hour_end(hour))) for hour in range(first_hour, last_hour)]
    return hours, (last_hour - first_hour) * 60 // ROW_MINUTES


def _minutes(moment: time) -> int:
    """Minutes since midnight; time.max (until midnight) counts as the whole day."""
    return 24 * 60 if moment == time.max else moment.hour * 60 + moment.minute


def _hour_end(hour: int) -> time:
    return time.max if hour == 23 else time(hour + 1)


def time_off_clashes(
    *, calendar: CoachCalendar, exceptions, now: datetime | None = None
) -> list[tuple[AvailabilityException, list[Booking]]]:
    """The time off among `exceptions` that still-active sessions were booked in, with those
    sessions (not yet over): one query for all of them."""
    now = now or timezone.now()
    tz = calendar.zone
    intervals = [(e, e.interval(tz)) for e in exceptions if e.kind == "off"]
    if not intervals:
        return []
    bookings = list(
        Booking.objects.filter(calendar=calendar, status__in=Booking.BLOCKING_FINAL, end__gt=now)
        .overlapping(min(i[0] for _, i in intervals), max(i[1] for _, i in intervals))
        .select_related("session_type")
        .order_by("start")
    )
    clashes = [
        (exception, [b for b in bookings if b.start < end and b.end > start])
        for exception, (start, end) in intervals
    ]
    return [(exception, found) for exception, found in clashes if found]
