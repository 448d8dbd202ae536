"""The slot engine fed from the database, in a fixed number of queries whatever the bookings.

Reads the coach's hours, exceptions and the bookings that block time inside the window, and
hands them to the pure `bookings.slots` engine.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from bookings import slots
from bookings.models import Booking, BusyTime, SessionType


@dataclass(frozen=True)
class Schedule:
    weekly: list[slots.WeeklyRange]
    exceptions: list[slots.DateException]


def load_schedule(session_type: SessionType, first: date, last: date) -> Schedule:
    calendar = session_type.calendar
    weekly = [hours.as_range() for hours in calendar.hours.all()]
    exceptions = [
        exception.as_exception()
        for exception in calendar.exceptions.filter(date__gte=first, date__lte=last)
    ]
    return Schedule(weekly, exceptions)


def slots_for(
    session_type: SessionType,
    *,
    now: datetime | None = None,
    start_date: date | None = None,
    days: int | None = None,
    exclude_booking: Booking | None = None,
) -> list[slots.Slot]:
    """Bookable slots of a session type (UTC), from `start_date` for `days` coach-local days.

    Three queries: hours, exceptions, blocking bookings with the coach's calendars' busy times
    (`BusyTime`, read by a worker from the coach's ICS feeds); one more for the daily limit when
    the type has one, and one for the calendar when the session type was fetched without it.
    `exclude_booking` is a booking being moved: its own time does not block its new one.
    """
    now = now or timezone.now()
    tz = session_type.calendar.zone
    first = start_date or now.astimezone(tz).date()
    if days is None:
        days = (now + timedelta(days=session_type.window_days)).astimezone(tz).date() - first
        days = days.days + 1
    last = first + timedelta(days=days - 1)
    schedule = load_schedule(session_type, first, last)
    busy, counts = _busy_and_counts(session_type, now, first, last, exclude_booking)
    return slots.available_slots(
        tz=tz,
        weekly=schedule.weekly,
        exceptions=schedule.exceptions,
        rules=session_type.rules(),
        busy=busy,
        now=now,
        start_date=first,
        days=days,
        same_type_counts_by_local_date=counts,
    )


def _busy_and_counts(session_type, now, first, last, exclude_booking):
    tz = session_type.calendar.zone
    # A day's slots may carry buffers a little outside the day: widen the search by a day.
    window_start = datetime.combine(first - timedelta(days=1), datetime.min.time(), tz)
    window_end = datetime.combine(last + timedelta(days=2), datetime.min.time(), tz)
    rows = Booking.objects.blocking(now).filter(
        calendar_id=session_type.calendar_id,
        blocked_end__gt=window_start,
        blocked_start__lt=window_end,
    )
    if exclude_booking is not None:
        rows = rows.exclude(pk=exclude_booking.pk)
    feeds = BusyTime.objects.filter(
        feed__calendar_id=session_type.calendar_id, end__gt=window_start, start__lt=window_end
    )
    busy = [slots.Busy(start, end) for start, end in _intervals(rows, feeds)]
    counts = Counter()
    if session_type.daily_limit is not None:
        for start in rows.filter(session_type=session_type).values_list("start", flat=True):
            counts[start.astimezone(tz).date()] += 1
    return busy, dict(counts)


# Busy time merged in PostgreSQL (range_agg joins overlapping and touching ranges), sent as
# epoch seconds: parsing thousands of timestamps in Python was most of the time of a slot
# search with many bookings (bench/bookings_slots.py).
MERGED_INTERVALS = """
    SELECT EXTRACT(EPOCH FROM lower(busy))::float8, EXTRACT(EPOCH FROM upper(busy))::float8
      FROM unnest((SELECT range_agg(tstzrange(rows.blocked_start, rows.blocked_end, '[)'))
                     FROM ({rows}) AS rows)) AS busy
"""


def _intervals(rows, feeds) -> list[tuple[datetime, datetime]]:
    """The time the bookings and the coach's own calendars block, as (start, end) pairs of
    aware datetimes, in one query."""
    # Unordered: SQLite (make run) refuses ORDER BY inside a UNION's parts.
    rows = (
        rows.order_by()
        .values_list("blocked_start", "blocked_end")
        .union(feeds.order_by().values_list("start", "end"), all=True)
    )
    if connection.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(MERGED_INTERVALS.format(rows=sql), params)
        pairs = cursor.fetchall()
    to_utc = datetime.fromtimestamp
    return [(to_utc(start, UTC), to_utc(end, UTC)) for start, end in pairs]


def is_bookable(
    session_type: SessionType, start: datetime, *, now=None, exclude_booking=None
) -> bool:
    """Whether `start` is one of the slots offered right now (the re-check under the lock)."""
    day = start.astimezone(session_type.calendar.zone).date()
    offered = slots_for(
        session_type, now=now, start_date=day, days=1, exclude_booking=exclude_booking
    )
    return any(slot.start == start for slot in offered)


def nearest_slots(
    session_type: SessionType, around: datetime, *, count: int = 3, now=None
) -> list[slots.Slot]:
    """The free slots closest in time to `around`: what to offer when a time was just taken."""
    offered = slots_for(session_type, now=now)
    nearest = sorted(offered, key=lambda slot: abs(slot.start - around))[:count]
    return sorted(nearest)  # shown in time order
