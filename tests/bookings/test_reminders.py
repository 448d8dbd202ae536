"""Reminders with time-machine: due in elapsed time, sent once, skipped when late, dropped
when cancelled, moved when the booking moves. Emails are counted as recorded OutboundEmail rows
(the delivery layer sends each row once)."""

import os
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from bookings import reminders, tasks
from bookings.models import Booking, ReminderDelivery, VideoRoom
from bookings.services import booking_cancel, booking_create, booking_move
from coaching.models import OutboundEmail
from tests.bookings.conftest import NOW, booker
from tests.bookings.factories import BookingFactory

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
# Short by default; the catalogue's sizes: R03_BOOKINGS=500 R04_TRIALS=1000.
R03_BOOKINGS = int(os.environ.get("R03_BOOKINGS", "100"))
R04_TRIALS = int(os.environ.get("R04_TRIALS", "40"))
HOUR = timedelta(hours=1)


def reminder_emails(**filters):
    return OutboundEmail.objects.filter(template="booking_reminder", **filters)


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        tasks.sweep_reminders()


@pytest.fixture
def booked(session_type, frozen):
    return booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))


def test_each_reminder_is_sent_once_at_its_time(booked):
    sweep_at(TOMORROW_10 - timedelta(hours=24, seconds=1))
    assert reminder_emails().count() == 0
    for _ in range(3):
        sweep_at(TOMORROW_10 - timedelta(hours=24))
    assert reminder_emails().count() == 1
    sweep_at(TOMORROW_10 - HOUR)
    sweep_at(TOMORROW_10 - HOUR + timedelta(minutes=1))
    assert reminder_emails().count() == 2
    assert set(
        booked.reminders.filter(kind__startswith="before").values_list("state", flat=True)
    ) == {"sent"}


def test_redelivered_task_sends_nothing_twice(booked):
    reminder = booked.reminders.get(kind="before-60")
    with time_machine.travel(TOMORROW_10 - HOUR, tick=False):
        for _ in range(3):
            tasks.send_reminder(reminder.pk)
    assert reminder_emails().count() == 1
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == ("sent", 1)


def test_reminder_says_how_soon_and_has_the_video_link(booked):
    sweep_at(TOMORROW_10 - timedelta(hours=24))
    email = reminder_emails().get()
    assert email.subject == f"Reminder: {booked.session_type.name} with Maya in 24 hours"
    room = VideoRoom.objects.get(booking=booked)
    assert f"Video call: {room.join_url}" in email.body_text
    assert f'href="{room.join_url}"' in email.body_html
    assert "/book/manage/" in email.body_html


def test_discreet_reminder_says_only_appointment_with_the_coach(session_type, frozen):
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1, discreet=True))
    sweep_at(TOMORROW_10 - HOUR)
    email = reminder_emails().get()
    assert email.subject == "Reminder: Appointment with Maya in 1 hour"
    assert session_type.name not in email.body_text + email.body_html
    confirmation = OutboundEmail.objects.get(template="booking_booker")
    assert confirmation.subject == "Confirmed: Appointment with Maya"
    assert "SUMMARY:Appointment with Maya" in confirmation.attachments[0]["content"]


def test_late_reminder_goes_while_the_session_is_far_enough(booked):
    # Workers down from 24 h before until 3 h before: still worth a reminder, says how soon.
    sweep_at(TOMORROW_10 - 3 * HOUR)
    assert reminder_emails().get().subject.endswith("in 3 hours")


def test_late_reminder_is_skipped_and_recorded_when_too_close(booked):
    sweep_at(TOMORROW_10 - timedelta(minutes=10))
    assert reminder_emails().count() == 0
    notes = dict(booked.reminders.values_list("kind", "note"))
    assert notes["before-1440"] == "late: the session starts in 10 minutes"
    assert set(
        booked.reminders.filter(kind__startswith="before").values_list("state", flat=True)
    ) == {"skipped"}


def test_cancelled_booking_gets_no_reminder(booked):
    booking_cancel(booking=booked)
    sweep_at(TOMORROW_10 - HOUR)
    assert reminder_emails().count() == 0


def test_cancel_just_before_the_claim_sends_nothing(session_type, frozen):
    """docs/reliability.md R-04: over many random moments, a cancellation that commits first
    always wins."""
    rng = random.Random(7)
    for n in range(R04_TRIALS):
        start = TOMORROW_10 + timedelta(days=n % 20, hours=rng.randrange(0, 7))
        booking = BookingFactory(session_type=session_type, start=start)
        reminders.schedule(booking, now=NOW)
        due = start - HOUR
        ids = reminders.sweep(now=due)
        with time_machine.travel(due - timedelta(seconds=1), tick=False):
            booking_cancel(booking=booking, by_coach=True)
        for pk in ids:
            reminders.deliver(pk, now=due)
    assert reminder_emails().count() == 0


def test_moved_booking_is_reminded_once_at_the_new_time(booked):
    sweep_at(TOMORROW_10 - timedelta(hours=24))  # the day-before reminder went out
    later = TOMORROW_10 + timedelta(days=3)
    with time_machine.travel(TOMORROW_10 - timedelta(hours=23), tick=False):
        booking_move(booking=booked, start=later, by_coach=True)
    sweep_at(TOMORROW_10 - HOUR)  # the old time: nothing
    assert reminder_emails().count() == 1
    sweep_at(later - timedelta(hours=24))
    sweep_at(later - HOUR)
    sweep_at(later - HOUR)
    assert reminder_emails().count() == 3


def test_free_call_follow_up_after_it_ends(free_call, frozen):
    booking = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    sweep_at(booking.end + timedelta(minutes=29))
    assert not OutboundEmail.objects.filter(template="booking_follow_up").exists()
    sweep_at(booking.end + timedelta(minutes=30))
    sweep_at(booking.end + timedelta(minutes=31))
    follow_up = OutboundEmail.objects.get(template="booking_follow_up")
    assert "/book/" in follow_up.body_text


def test_24h_reminder_is_24_elapsed_hours_across_the_clock_change(session_type, frozen):
    """T-04, policy "24 hours before" = 24 elapsed hours: Berlin springs forward on 29 March."""
    calendar = session_type.calendar
    calendar.time_zone = "Europe/Berlin"
    calendar.save()
    start = datetime(2026, 3, 29, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    booking = BookingFactory(session_type=session_type, start=start)
    reminders.schedule(booking, now=NOW)
    due = booking.reminders.get(kind="before-1440").due_at
    assert due == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)


def test_rolled_back_booking_enqueues_nothing(
    session_type, frozen, django_capture_on_commit_callbacks
):
    """R-08: the enqueue happens on commit only."""
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    assert len(callbacks) == 2  # the confirmation and the coach's notification


def test_no_reminder_carries_the_topic_or_notes(session_type, frozen):
    """R-11: a sentinel in what she wrote never reaches an email."""
    sentinel = "SENTINEL-8c1f2b"
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1, topic=sentinel))
    sweep_at(TOMORROW_10 - timedelta(hours=24))
    sweep_at(TOMORROW_10 - HOUR)
    emails = OutboundEmail.objects.all()
    assert emails.filter(template="booking_reminder").count() == 2
    for email in emails:
        assert sentinel not in email.subject + email.body_text + email.body_html


def test_workers_down_for_three_hours(session_type, frozen):
    """R-03 (short: 100 bookings; R03_BOOKINGS=500 for the catalogue's figure) over 0-48 h,
    6 % cancelled and 4 % moved during the outage."""
    session_type.duration_minutes = session_type.step_minutes = 5
    session_type.save()
    rng = random.Random(3)
    bookings = [
        BookingFactory(session_type=session_type, start=NOW + timedelta(minutes=5 * n))
        for n in rng.sample(range(48 * 12), R03_BOOKINGS)
    ]
    for booking in bookings:
        reminders.schedule(booking, now=NOW)
    cancelled = bookings[: R03_BOOKINGS * 6 // 100]  # 30 of 500, as in the catalogue
    moved = [b for b in bookings[len(cancelled) :] if 9 <= b.start.hour < 16][: R03_BOOKINGS // 25]
    outage_end = NOW + 3 * HOUR
    with time_machine.travel(NOW + HOUR, tick=False):
        for booking in cancelled:
            booking_cancel(booking=booking, by_coach=True)
        for booking in moved:
            booking_move(booking=booking, start=booking.start + timedelta(days=5), by_coach=True)
    sweep_at(outage_end)
    sweep_at(outage_end + timedelta(minutes=1))
    sent = set(ReminderDelivery.objects.filter(state="sent").values_list("booking_id", "kind"))
    expected = {
        (r.booking_id, r.kind)
        for r in ReminderDelivery.objects.select_related("booking")
        if r.booking.status == "confirmed"
        and r.booking not in moved
        and NOW < r.due_at <= outage_end
        and r.booking.start - outage_end > reminders.skip_threshold(r.minutes_before)
    }
    assert sent == expected and len(expected) >= 5
    assert ReminderDelivery.objects.filter(state="skipped", note__startswith="late").exists()
    assert reminder_emails().count() == len(expected)
    started = Booking.objects.filter(start__lte=outage_end)
    assert not ReminderDelivery.objects.filter(booking__in=started, state="sent").exists()
    assert not ReminderDelivery.objects.filter(booking__in=cancelled, state="sent").exists()
    assert not reminder_emails(related_id__in=[str(b.pk) for b in moved]).exists()
    new_starts = [booking.start + timedelta(days=5) for booking in moved]
    for moment in sorted({start - before for start in new_starts for before in (24 * HOUR, HOUR)}):
        sweep_at(moment)
        sweep_at(moment)
    for booking in moved:
        assert reminder_emails(related_id=str(booking.pk)).count() == 2


def test_reminders_lost_with_the_broker_are_queued_again(booked):
    """R-07 (short): the swept tasks vanish (Redis flushed); the database still knows."""
    due = TOMORROW_10 - HOUR
    with time_machine.travel(due, tick=False):
        lost = reminders.sweep(now=due)  # queued, then the broker loses the messages
    assert len(lost) == 2  # the day-before reminder is late but still worth sending
    sweep_at(due + timedelta(minutes=1))  # too soon to call them lost
    assert reminder_emails().count() == 0
    sweep_at(due + reminders.REQUEUE_AFTER + timedelta(seconds=1))
    sweep_at(due + reminders.REQUEUE_AFTER + timedelta(minutes=1))
    assert reminder_emails().count() == 1  # the hour-before one; the other is now too late
