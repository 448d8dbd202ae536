"""The reminder sweep with many rows: it must find the due ones through its partial index.

50,000 reminder rows (most already sent or far in the future, 500 due): the sweep's query
plan and its time, median of 7 runs (each rolled back, so every run finds the same rows).
"""

import statistics
import time as clock
from datetime import UTC, datetime, timedelta

ROWS, DUE = 50_000, 500
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _setup() -> None:
    from bookings.models import Booking, CoachCalendar, ReminderDelivery, SessionType

    calendar = CoachCalendar.objects.create()
    kind = SessionType.objects.create(
        calendar=calendar, name="S", slug="sweep-bench", duration_minutes=15, buffer_after_minutes=0
    )
    bookings = []
    for n in range(ROWS // 2):
        booking = Booking(calendar=calendar, session_type=kind, name="B", email="b@x.org")
        booking.set_times(NOW + timedelta(minutes=15 * n - 15 * 4000), kind)
        bookings.append(booking)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    reminders = []
    for booking in Booking.objects.filter(session_type=kind).order_by("start"):
        for minutes in (1440, 60):
            due = booking.start - timedelta(minutes=minutes)
            sent = due <= NOW and len(reminders) >= DUE  # the first DUE due rows still wait
            reminders.append(
                ReminderDelivery(
                    booking=booking, kind=f"before-{minutes}", due_at=due,
                    state="sent" if sent else "scheduled",
                )
            )  # fmt: skip
    ReminderDelivery.objects.bulk_create(reminders, batch_size=5000)


def _plan() -> str:
    from django.db import connection

    from bookings.models import ReminderDelivery

    query = ReminderDelivery.objects.filter(state="scheduled", due_at__lte=NOW).values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bookings_reminderdelivery")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(row[0] for row in cursor.fetchall())


def run() -> list[tuple[str, str]]:
    from bench._bookings_db import scratch_database

    with scratch_database():
        from django.db import connection, transaction

        from bookings import reminders

        _setup()
        plan = _plan() if connection.vendor == "postgresql" else ""
        timings, found = [], 0
        for _ in range(7):
            with transaction.atomic():
                started = clock.perf_counter()
                found = len(reminders.sweep(now=NOW))
                timings.append((clock.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
    return [
        ("reminder rows / due now", f"{ROWS:,} / {found}"),
        ("sweep median ms (claims the due rows)", f"{statistics.median(timings):.1f}"),
        ("sweep uses the partial due index", "yes" if "reminder_due_scheduled" in plan else "no"),
    ]
