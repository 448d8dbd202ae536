"""Slots for a 60-day window with 500 and with 5,000 existing bookings in it.

Bars: at most 10 SQL queries and 50 ms with 500 bookings; ten times the bookings
costs at most 3 times the time. Bookings are 5-minute blocks on a 5-minute grid inside hours
open 07:00-23:00 every day, so 5,000 fit in the window without overlapping; the measured type
is 15 minutes on a 5-minute step, so both cases still offer slots between the bookings.
In both cases the coach also has 2 own calendars of 500 busy times each (30 minutes on a
5-minute grid, read from ICS feeds by a worker), which the slots avoid in the same query as the
bookings.
"""

import random
import statistics
import time as clock
from datetime import UTC, datetime, time, timedelta

RUNS = 7
NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)


def _setup(count: int):
    from bookings.models import (
        Booking,
        BusyCalendar,
        BusyTime,
        CoachCalendar,
        SessionType,
        WeeklyHours,
    )

    calendar = CoachCalendar.objects.create(time_zone="Europe/London")
    WeeklyHours.objects.bulk_create(
        WeeklyHours(calendar=calendar, weekday=day, start=time(7), end=time(23)) for day in range(7)
    )
    kwargs = {"calendar": calendar, "min_notice_minutes": 0, "buffer_after_minutes": 0}
    blocker = SessionType.objects.create(
        name="Block", slug=f"block-{count}", duration_minutes=5, **kwargs
    )
    measured = SessionType.objects.create(
        name="Session", slug=f"session-{count}", duration_minutes=15, step_minutes=5, **kwargs
    )
    positions = [
        datetime.combine(NOW.date() + timedelta(days=day), time(7), UTC) + timedelta(minutes=m)
        for day in range(60)
        for m in range(0, 16 * 60, 5)
    ]
    bookings = []
    for start in random.Random(count).sample(positions, count):
        booking = Booking(calendar=calendar, session_type=blocker, name="B", email="b@x.org")
        booking.set_times(start, blocker)
        bookings.append(booking)
    Booking.objects.bulk_create(bookings, batch_size=1000)
    for number in range(2):
        feed = BusyCalendar.objects.create(
            calendar=calendar, name=f"Own {number}", url="https://calendar.example.com/a.ics"
        )
        BusyTime.objects.bulk_create(
            BusyTime(feed=feed, start=start, end=start + timedelta(minutes=30))
            for start in random.Random(count + number).sample(positions, 500)
        )
    return measured


def _measure(session_type) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bookings.availability import slots_for

    session_type = type(session_type).objects.get(pk=session_type.pk)  # as a view would fetch it
    with CaptureQueriesContext(connection) as queries:
        found = slots_for(session_type, now=NOW)
    timings = []
    for _ in range(RUNS):
        fresh = type(session_type).objects.select_related("calendar").get(pk=session_type.pk)
        started = clock.perf_counter()
        slots_for(fresh, now=NOW)
        timings.append((clock.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries), len(found)


def run() -> list[tuple[str, str]]:
    from bench._bookings_db import scratch_database

    with scratch_database():
        small_ms, small_queries, small_slots = _measure(_setup(500))
        large_ms, large_queries, large_slots = _measure(_setup(5000))
    ratio = large_ms / small_ms
    return [
        ("60-day slots, 500 bookings + 2x500 events: SQL queries (bar <= 10)", str(small_queries)),
        ("60-day slots, 500 bookings + 2x500 events: median ms (bar <= 50)", f"{small_ms:.1f}"),
        ("60-day slots, 500 bookings: slots offered", str(small_slots)),
        ("60-day slots, 5,000 bookings: SQL queries", str(large_queries)),
        ("60-day slots, 5,000 bookings: median ms", f"{large_ms:.1f}"),
        ("60-day slots, 5,000 bookings: slots offered", str(large_slots)),
        ("time ratio 5,000 / 500 bookings (bar <= 3)", f"{ratio:.2f}"),
    ]
