"""Races on real PostgreSQL: threads with their own connections, released by a barrier.

Short versions of B-01, B-04 to B-08 and R-06 for every run (the full counts are in the
catalogue, docs/reliability.md); each still asserts the whole invariant. B-02, 200 at once, goes
through gunicorn in test_concurrency_http.py.
"""

import os
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from bookings import reminders
from bookings.forms import slot_id
from bookings.hours import hours_replace
from bookings.models import Booking, ReminderDelivery
from bookings.series import booking_series_create
from bookings.services import (
    SlotTaken,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_move,
)
from clients.models import Package
from coaching.models import OutboundEmail
from tests.bookings.conftest import NOW, OVERLAPS, booker
from tests.bookings.factories import BookingFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen")]
DAY = datetime(2026, 1, 6, tzinfo=UTC)


def overlapping_pairs() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        return cursor.fetchone()[0]


def race(functions) -> list:
    """Run the functions at once (a barrier releases them); return results or exceptions."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # the caller asserts on what came back
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def post_booking(session_type, start, n, ip=None, **headers):
    ip = n if ip is None else ip

    def post():
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.0.{ip // 250}.{ip % 250}")
        data = {
            "name": f"Racer {n}", "email": f"racer{n}@example.org", "consent": "on",
            "start": slot_id(start), "time_zone": "Europe/London",
        }  # fmt: skip
        response = client.post(reverse("bookings:form", args=[session_type.slug]), data, **headers)
        return response.status_code, response.content

    return post


# The catalogue's full B-01 is 50 threads x 20 rounds: B01_THREADS=50 B01_ROUNDS=20.
B01_THREADS = int(os.environ.get("B01_THREADS", "20"))
B01_ROUNDS = int(os.environ.get("B01_ROUNDS", "3"))


def test_twenty_requests_for_one_slot_book_it_once(session_type):
    """B-01 (short by default: 20 threads x 3 rounds)."""
    for round_number in range(B01_ROUNDS):
        start = DAY + timedelta(days=round_number // 8, hours=9 + round_number % 8)
        offset = B01_THREADS * round_number
        results = race([post_booking(session_type, start, offset + n) for n in range(B01_THREADS)])
        statuses = sorted(status for status, _ in results)
        assert statuses == [303] + [409] * (B01_THREADS - 1), statuses
    assert Booking.objects.count() == B01_ROUNDS
    assert overlapping_pairs() == 0


def test_same_idempotency_key_ten_times_at_once_then_in_turn(session_type):
    """B-04: one booking; every answer identical; another body with the key: 422."""
    start = DAY + timedelta(hours=11)
    same = [post_booking(session_type, start, 1, ip, HTTP_IDEMPOTENCY_KEY="k") for ip in range(20)]
    results = race(same[:10]) + [post() for post in same[10:]]
    assert set(results) == {(303, b"")}
    assert Booking.objects.count() == 1
    other = post_booking(session_type, start + timedelta(hours=1), 1, HTTP_IDEMPOTENCY_KEY="k")
    assert other()[0] == 422


def test_overlapping_pending_requests_then_two_confirms(session_type):
    """B-05: pending requests block each other; of two confirms exactly one wins."""
    session_type.needs_approval = True
    session_type.save()
    start = DAY + timedelta(hours=10)
    results = race(
        [
            lambda n=n: booking_create(session_type=session_type, start=start, booker=booker(n))
            for n in range(2)
        ]
    )
    pending = [result for result in results if isinstance(result, Booking)]
    assert len(pending) == 1 and isinstance(next(r for r in results if r not in pending), SlotTaken)
    outcomes = race([lambda: booking_approve(booking=pending[0])] * 2)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadyHandled", "Booking"]
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_cancel_then_twenty_rebook_the_slot_once(session_type):
    """B-06."""
    start = DAY + timedelta(hours=12)
    first = booking_create(session_type=session_type, start=start, booker=booker(0))
    booking_cancel(booking=first)
    results = race([post_booking(session_type, start, n) for n in range(20)])
    assert sorted(status for status, _ in results) == [303] + [409] * 19
    assert Booking.objects.filter(status="confirmed").count() == 1


def test_move_racing_a_new_booking_of_the_same_time(session_type):
    """B-07 (short: 10 rounds): never both; A keeps its old time unless it got the new one."""
    for round_number in range(10):
        a_start = DAY + timedelta(days=round_number, hours=9)
        b_start = a_start + timedelta(hours=3)
        a = booking_create(
            session_type=session_type, start=a_start, booker=booker(100 + round_number)
        )
        results = race([
            lambda a=a, b_start=b_start: booking_move(booking=a, start=b_start),
            lambda b_start=b_start, r=round_number: booking_create(
                session_type=session_type, start=b_start, booker=booker(200 + r)
            ),
        ])  # fmt: skip
        wins = [result for result in results if isinstance(result, Booking)]
        assert len(wins) == 1 and all(isinstance(r, (Booking, SlotTaken)) for r in results)
        a.refresh_from_db()
        assert a.start == (b_start if isinstance(results[0], Booking) else a_start)
    assert overlapping_pairs() == 0


def test_hours_removed_while_bookings_race_in(session_type):
    """B-08 (short): every booking that commits was inside the hours in force when it did."""
    calendar = session_type.calendar
    session_type.step_minutes = 60
    session_type.save()
    friday = datetime(2026, 1, 9, tzinfo=UTC)
    calls = [post_booking(session_type, friday + timedelta(hours=9 + n % 8), n) for n in range(8)]
    keep = [(weekday, time(9), time(17)) for weekday in range(7) if weekday != 4]
    calls.append(lambda: hours_replace(calendar=calendar, ranges=keep))
    results = race(calls)
    assert {status for status, _ in results[:-1]} <= {303, 409}
    assert overlapping_pairs() == 0
    # After the change, Friday is closed: nothing more gets in.
    later = post_booking(session_type, friday + timedelta(hours=16), 99)()
    assert (
        later[0] == 409 or Booking.objects.filter(start=friday + timedelta(hours=16)).count() == 1
    )


def test_two_sweepers_and_duplicated_messages_send_each_reminder_once(session_type):
    """R-06 (short): four sweepers at once, and every task delivered four times."""
    session_type.duration_minutes = 15
    session_type.save()
    bookings = [
        BookingFactory(session_type=session_type, start=DAY + timedelta(hours=9, minutes=15 * n))
        for n in range(24)
    ]
    for booking in bookings:
        reminders.schedule(booking, now=NOW)
    due = DAY + timedelta(hours=6)  # every day-before reminder is due, no hour-before one
    all_ids = list(Booking.objects.values_list("reminders__pk", flat=True))

    def sweeper():
        with time_machine.travel(due, tick=False):
            swept = reminders.sweep(now=due)
            for pk in swept + all_ids:
                reminders.deliver(pk, now=due)
            return len(swept)

    swept = race([sweeper] * 4)
    expected = ReminderDelivery.objects.filter(state="sent").count()
    assert sum(swept) == expected == 24
    assert OutboundEmail.objects.filter(template="booking_reminder").count() == expected


def test_a_worker_that_dies_mid_send_leaves_the_reminder_to_the_next_sweep(session_type):
    """R-05 (short): the claim and the email commit together, so a crash rolls both back."""
    session_type.reminder_minutes = [60]
    session_type.save()
    booking = BookingFactory(session_type=session_type, start=DAY + timedelta(hours=10))
    reminders.schedule(booking, now=NOW)
    reminder = booking.reminders.get(kind="before-60")
    due = reminder.due_at
    assert reminders.sweep(now=due) == [reminder.pk]

    def dies_mid_send():
        connection.set_autocommit(False)
        with connection.cursor() as cursor:  # the claim of reminders.deliver, never committed
            cursor.execute(
                "UPDATE bookings_reminderdelivery SET state = 'sending' WHERE id = %s",
                [reminder.pk],
            )
        # The process is gone and PostgreSQL rolls its transaction back. (Rolled back here
        # rather than left to the server noticing the closed socket, which takes a moment
        # during which SKIP LOCKED would, rightly, pass the row by until the next sweep.)
        connection.rollback()

    race([dies_mid_send])
    assert reminders.sweep(now=due + timedelta(minutes=1)) == []  # its message may still come
    retry = reminders.sweep(now=due + reminders.REQUEUE_AFTER + timedelta(seconds=1))
    assert retry == [reminder.pk]
    assert reminders.deliver(reminder.pk, now=due + timedelta(minutes=6)) == "sent"
    assert reminders.deliver(reminder.pk, now=due + timedelta(minutes=6)) == ""
    assert OutboundEmail.objects.filter(template="booking_reminder").count() == 1


def test_a_series_racing_public_bookings_of_one_of_its_dates_is_all_or_nothing(session_type):
    """The coach's series and visitors take the calendar's lock alike: per round, either the
    whole series is booked and every visitor is refused, or a visitor has the date and the
    series books nothing."""

    person = PersonFactory()
    for round_number in range(5):
        starts = [DAY + timedelta(days=7 * week + round_number, hours=10) for week in range(4)]

        def series(starts=starts):
            return booking_series_create(
                client=person.client, session_type=session_type, starts=starts
            )

        visitors = [post_booking(session_type, starts[2], 10 * round_number + n) for n in range(5)]
        results = race([series, *visitors])
        booked = Booking.objects.filter(client=person.client, start__in=starts).count()
        visitor_won = 303 in [result[0] for result in results[1:]]
        assert booked == (0 if visitor_won else 4), (round_number, results[0])
        assert [result[0] for result in results[1:]].count(303) <= 1
    assert overlapping_pairs() == 0


def test_two_series_cannot_both_take_the_last_sessions_of_a_package(session_type):
    """The package's count is read under the calendar's lock: the second series sees the first."""

    person = PersonFactory()
    Package.objects.create(client=person.client, name="Four", sessions=4, starts_at=NOW)
    runs = [
        lambda hour=hour: booking_series_create(
            client=person.client,
            session_type=session_type,
            starts=[DAY + timedelta(days=7 * week, hours=hour) for week in range(3)],
        )
        for hour in (10, 14)
    ]
    results = race(runs)
    assert sorted(type(result).__name__ for result in results) == ["ValidationError", "list"]
    assert Booking.objects.filter(package__isnull=False).count() == 3
