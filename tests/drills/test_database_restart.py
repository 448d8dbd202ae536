"""Drill X-02 of docs/reliability.md (short): the database restarts while a booking is being
written. The visitor gets the friendly 503 "try again", no booking is half-written, and the same
form works after.

The site runs in gunicorn with production settings on a private PostgreSQL (a copy of the test
database), so the restart touches nobody else. The booking is caught mid-request for certain:
the drill holds the coach's calendar row locked, the booking waits for that lock inside its
transaction, and the database is stopped under it.
"""

import threading
from datetime import UTC, datetime, time, timedelta

import psycopg
import pytest

from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.conftest import database_url_for_tests, wait_for
from tests.servers import booking_form, gunicorn, request

pytestmark = pytest.mark.xdist_group("drills")


def _bookings(url: str) -> int:
    with psycopg.connect(url) as db:
        return db.execute("SELECT count(*) FROM bookings_booking").fetchone()[0]


def _waiting_for_a_lock(url: str) -> bool:
    # A connection of its own: within a transaction pg_stat_activity is a frozen snapshot.
    with psycopg.connect(url, autocommit=True) as db:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        return db.execute(query).fetchone()[0] >= 1


def test_x02_database_restart_mid_booking_gives_a_503_and_no_half_booking(
    transactional_db, private_postgres
):
    session_type = SessionTypeFactory()
    open_every_day(session_type.calendar)
    private_postgres.copy_from(database_url_for_tests())
    start = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(10), UTC)
    path = f"/book/{session_type.slug}/details/"

    with gunicorn(private_postgres.url) as port:
        fields, cookie = booking_form(port, path, start)
        holder = psycopg.connect(private_postgres.url)
        holder.execute(
            "SELECT 1 FROM bookings_coachcalendar WHERE id = %s FOR UPDATE",
            [session_type.calendar_id],
        )
        answers = []
        attempt = threading.Thread(
            target=lambda: answers.append(request(port, "POST", path, fields, cookie))
        )
        attempt.start()
        wait_for(lambda: _waiting_for_a_lock(private_postgres.url) or answers, timeout=15)
        assert not answers, answers  # the booking waits for the lock, inside its transaction

        private_postgres.stop()  # the booking's session is ended mid-transaction
        attempt.join(timeout=30)
        holder.close()
        private_postgres.start()

        [(status, page, _)] = answers
        assert status == 503 and "please try again in a minute" in page
        assert "Traceback" not in page
        assert _bookings(private_postgres.url) == 0  # nothing half-written

        status, page, _ = request(port, "POST", path, fields, cookie)  # the site recovered
        assert status == 303, page[-2000:]
        assert _bookings(private_postgres.url) == 1
