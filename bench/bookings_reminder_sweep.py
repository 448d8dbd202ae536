"""The reminder sweep with 1,000,000 bookings in the table: it must find the due rows through its
partial index, under 50 ms a sweep.

1,000,000 bookings (15-minute sessions back to back over 28 years), one 24-hour reminder each:
the past ones already sent except the 500 oldest due ones, the future ones scheduled but not due.
The rows are written by PostgreSQL itself (INSERT ... SELECT generate_series), not the ORM.
Figures: the sweep's query plan and its time, median of 7 runs (each rolled back, so every run
finds the same rows).
"""

import os
import statistics
import time as clock
from datetime import UTC, datetime, timedelta

BOOKINGS = int(os.environ.get("BENCH_SWEEP_BOOKINGS", "1000000"))
DUE = 500
# Half the bookings are before NOW (their reminders sent), half after (scheduled, not yet due).
START = datetime(2010, 1, 1, tzinfo=UTC)

BOOKINGS_SQL = """
INSERT INTO bookings_booking (
    public_id, calendar_id, session_type_id, start, "end", blocked_start, blocked_end, status,
    name, email, phone, topic, time_zone, discreet, sequence, request_hash, coach_message,
    credit_spent, created_at, updated_at)
SELECT gen_random_uuid(), %(calendar)s, %(kind)s, s, s + interval '15 minutes', s,
       s + interval '15 minutes', 'confirmed', 'Booker ' || n, 'b' || n || '@example.org',
       '', '', '', false, 0, '', '', false, now(), now()
FROM generate_series(0, %(count)s - 1) AS n,
     LATERAL (SELECT %(start)s::timestamptz + n * interval '15 minutes' AS s) AS t
"""
REMINDERS_SQL = """
INSERT INTO bookings_reminderdelivery (booking_id, kind, due_at, state, attempts, note)
SELECT id, 'before-1440', start - interval '1 day',
       CASE WHEN start - interval '1 day' > %(now)s THEN 'scheduled'
            WHEN row_number() OVER (ORDER BY start) <= %(due)s THEN 'scheduled'
            ELSE 'sent' END,
       0, ''
FROM bookings_booking WHERE session_type_id = %(kind)s
"""


def _setup() -> datetime:
    from django.db import connection

    from bookings.models import CoachCalendar, SessionType

    calendar = CoachCalendar.objects.create()
    kind = SessionType.objects.create(
        calendar=calendar, name="S", slug="sweep-bench", duration_minutes=15, buffer_after_minutes=0
    )
    now = START + (BOOKINGS // 2) * timedelta(minutes=15)
    params = {"calendar": calendar.pk, "kind": kind.pk, "count": BOOKINGS, "start": START}
    with connection.cursor() as cursor:
        # A bulk load's usual shortcut: no foreign-key trigger per row (the rows are consistent
        # by construction); indexes and the no-overlap constraint are still maintained.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(BOOKINGS_SQL, params)
        cursor.execute(REMINDERS_SQL, {"kind": kind.pk, "now": now, "due": DUE})
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute("ANALYZE bookings_booking")
        cursor.execute("ANALYZE bookings_reminderdelivery")
    return now


def _plan(now: datetime) -> str:
    from django.db import connection

    from bookings.models import ReminderDelivery

    query = ReminderDelivery.objects.filter(state="scheduled", due_at__lte=now).values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(row[0] for row in cursor.fetchall())


def _counts() -> tuple[int, int]:
    from bookings.models import Booking, ReminderDelivery

    return Booking.objects.count(), ReminderDelivery.objects.count()


def _vacuum() -> None:
    """Clear the million rolled-back rows, so the benchmarks after this one start clean."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bookings_booking")
        cursor.execute("VACUUM ANALYZE bookings_reminderdelivery")


def run() -> list[tuple[str, str]]:
    from bench._bookings_db import scratch_database

    with scratch_database():
        from django.db import transaction

        from bookings import reminders

        started = clock.perf_counter()
        now = _setup()
        seeded_s = clock.perf_counter() - started
        bookings, reminder_rows = _counts()
        plan = _plan(now)
        timings, found = [], 0
        for _ in range(7):
            with transaction.atomic():
                started = clock.perf_counter()
                found = len(reminders.sweep(now=now))
                timings.append((clock.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
    _vacuum()
    return [
        ("bookings / reminder rows in the tables", f"{bookings:,} / {reminder_rows:,}"),
        ("rows written by generate_series (s, setup only)", f"{seeded_s:.1f}"),
        ("due reminders found per sweep", str(found)),
        ("sweep median ms, claims 500 due rows (bar ≤ 50)", f"{statistics.median(timings):.1f}"),
        ("sweep uses the partial due index", "yes" if "reminder_due_scheduled" in plan else "no"),
    ]
