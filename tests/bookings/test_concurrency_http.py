"""B-02 of docs/reliability.md at its real concurrency: 200 browsers post the booking form at
once, through gunicorn.

The shared PostgreSQL allows 100 connections for every test process, so the site runs in
gunicorn (production settings, one gthread worker with a thread per client) on a PostgreSQL of
the test's own that allows more. Each client GETs the form for its CSRF cookie and token, then
a barrier releases all the POSTs together. Each sends from a loopback address of its own, so
the booking form's rate limit (10 a minute per address) stays on and cuts nobody short.

`make test` runs 200 clients x 1 round (about 15 s); the catalogue's full size is B02_ROUNDS=10.
Measured at full size on this 2-core machine: 2,000 requests, 16 x 303, 1,984 x 409, 0 x 500,
0 overlapping pairs, up to 199 requests in the database at once, 88 s. Without the calendar
lock and the exclusion constraint it fails (3,253 overlapping pairs).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.urls import reverse

from tests.bookings.conftest import OVERLAPS
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.conftest import database_url_for_tests
from tests.servers import PrivatePostgres, booking_form, gunicorn, request

pytestmark = pytest.mark.django_db(transaction=True)
B02_THREADS = int(os.environ.get("B02_THREADS", "200"))
B02_ROUNDS = int(os.environ.get("B02_ROUNDS", "1"))
LONDON = ZoneInfo("Europe/London")
# Requests in the database (CONN_MAX_AGE=0: a connection each), the sampler's own left out.
IN_DATABASE = """
    SELECT count(*) FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
"""


def _three_lengths():
    """60, 30 and 90-minute sessions on one calendar, every 15 minutes, open all day."""
    first = SessionTypeFactory(step_minutes=15)
    open_every_day(first.calendar)
    others = [
        SessionTypeFactory(calendar=first.calendar, duration_minutes=minutes, step_minutes=15)
        for minutes in (30, 90)
    ]
    return [first, *others]


def _client(port, session_type, start, n, barrier) -> int:
    """One browser: the form (from an address of its own), then the POST when all are ready."""
    source = f"127.0.{1 + n // 250}.{1 + n % 250}"
    path = reverse("bookings:form", args=[session_type.slug])
    try:
        fields, cookie = booking_form(
            port, path, start, name=f"Racer {n}", email=f"racer{n}@example.org", source=source
        )
        barrier.wait(timeout=120)
    except BaseException:
        barrier.abort()  # the others stop waiting; the test fails on this error
        raise
    return request(port, "POST", path, fields, cookie, source=source)[0]


def _round(port, types, around: datetime, offset: int, released: threading.Event) -> list[int]:
    """B02_THREADS clients at once: three lengths starting 15 min before to 30 min after."""
    starts = [around + timedelta(minutes=minutes) for minutes in (-15, 0, 15, 30)]
    released.clear()
    barrier = threading.Barrier(B02_THREADS, action=released.set)
    with ThreadPoolExecutor(B02_THREADS) as pool:
        futures = [
            pool.submit(_client, port, types[n % 3], starts[n % 4], offset + n, barrier)
            for n in range(B02_THREADS)
        ]
        return [future.result() for future in futures]


def _count_posts(url: str, released: threading.Event, stop: threading.Event, counts: list):
    """How many requests are in the database, every 10 ms once the POSTs are released (so
    the GETs before them are not counted)."""
    with psycopg.connect(url, autocommit=True) as db:
        while not stop.wait(0.01):
            if released.is_set():
                counts.append(db.execute(IN_DATABASE).fetchone()[0])


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as db:
        return db.execute(query).fetchone()[0]


def test_two_hundred_browsers_book_partial_overlaps_without_overlap():
    """B-02: every answer 303 or 409 (never 500), at least one booking a round, as many
    bookings as 303s, 0 overlapping pairs; and the requests really met in the database."""
    types = _three_lengths()
    first_day = datetime.now(LONDON).date() + timedelta(days=2)
    statuses, at_once, released, stop = [], [0], threading.Event(), threading.Event()
    with PrivatePostgres(max_connections=B02_THREADS + 50) as database:
        database.copy_from(database_url_for_tests())
        sampler = threading.Thread(
            target=_count_posts, args=(database.url, released, stop, at_once), daemon=True
        )
        with gunicorn(database.url, threads=B02_THREADS + 10) as port:
            started = monotonic()
            sampler.start()
            for number in range(B02_ROUNDS):
                around = datetime.combine(first_day + timedelta(days=number), time(10), LONDON)
                answers = _round(port, types, around, B02_THREADS * number, released)
                assert 303 in answers, sorted(answers)
                statuses += answers
            elapsed = monotonic() - started
            stop.set()
            sampler.join()
        booked = _scalar(database.url, "SELECT count(*) FROM bookings_booking")
        overlaps = _scalar(database.url, OVERLAPS)
    print(f"B-02: {len(statuses)} requests, {statuses.count(303)} x 303, "
          f"{statuses.count(409)} x 409, {overlaps} overlapping pairs, up to {max(at_once)} "
          f"in the database at once, {elapsed:.1f} s")  # fmt: skip
    assert set(statuses) <= {303, 409}, sorted(statuses)
    assert booked == statuses.count(303)
    assert overlaps == 0
    assert max(at_once) >= B02_THREADS // 2  # not one after another: at least half at once
