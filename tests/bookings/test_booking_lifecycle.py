"""A booking's life after it is made: approval, cancellation, moves, attendance, holds."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from bookings.models import Booking, ReminderDelivery
from bookings.services import (
    AlreadyHandled,
    SlotTaken,
    booking_approve,
    booking_cancel,
    booking_confirm_hold,
    booking_create,
    booking_decline,
    booking_mark_attended,
    booking_mark_no_show,
    booking_move,
)
from clients.models import Client
from coaching import hooks
from coaching.tokens import make_token
from tests.bookings.conftest import NOW, booker
from tests.bookings.factories import BookingFactory

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

pytestmark = pytest.mark.usefixtures("frozen")


def test_needs_approval_books_pending_then_the_coach_approves_once(session_type):
    session_type.needs_approval = True
    session_type.save()
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    assert booking.status == Booking.Status.PENDING
    assert not booking.reminders.exists()
    with pytest.raises(SlotTaken):  # a pending booking holds its time
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))

    approved = booking_approve(booking=booking)
    assert approved.status == Booking.Status.CONFIRMED
    assert approved.reminders.count() == 2
    with pytest.raises(AlreadyHandled):
        booking_approve(booking=booking)


def test_declined_booking_frees_its_time(session_type):
    session_type.needs_approval = True
    session_type.save()
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    booking_decline(booking=booking, message="I am away that week.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DECLINED
    assert booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))


def test_cancel_refuses_bookings_inside_24h(session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    with time_machine.travel(TOMORROW_10 - timedelta(hours=24, seconds=-1), tick=False):
        with pytest.raises(ValidationError, match="up to 24 hours before"):
            booking_cancel(booking=booking)
        booking_cancel(booking=booking, by_coach=True, message="Unwell, sorry.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert set(booking.reminders.values_list("state", flat=True)) == {"cancelled"}


def test_cancel_is_allowed_exactly_at_the_cutoff(session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    with time_machine.travel(TOMORROW_10 - timedelta(hours=24), tick=False):
        assert booking_cancel(booking=booking).status == Booking.Status.CANCELLED


def test_move_moves_reminders_and_raises_the_sequence(session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    later = TOMORROW_10 + timedelta(days=2)
    moved = booking_move(booking=booking, start=later)
    assert (moved.start, moved.sequence) == (later, 1)
    due = moved.reminders.get(kind="before-60").due_at
    assert due == later - HOUR


def test_move_onto_a_taken_time_keeps_the_old_one(session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    booking_create(session_type=session_type, start=TOMORROW_10 + HOUR, booker=booker(2))
    with pytest.raises(SlotTaken):
        booking_move(booking=booking, start=TOMORROW_10 + HOUR)
    booking.refresh_from_db()
    assert booking.start == TOMORROW_10


def test_move_may_overlap_its_own_old_time(session_type):
    session_type.step_minutes = 30
    session_type.save()
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    moved = booking_move(booking=booking, start=TOMORROW_10 + timedelta(minutes=30))
    assert moved.start == TOMORROW_10 + timedelta(minutes=30)


def test_attended_free_call_moves_the_client_on(free_call):
    booking = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    with pytest.raises(ValidationError, match="not started"):
        booking_mark_attended(booking=booking)
    with time_machine.travel(TOMORROW_10 + HOUR, tick=False):
        booking_mark_attended(booking=booking)
    booking.client.refresh_from_db()
    assert booking.client.stage == Client.Stage.FREE_CALL_DONE


def test_no_show_sends_a_kind_rebook_email_and_no_follow_up(
    free_call, django_capture_on_commit_callbacks
):
    booking = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    mail.outbox.clear()
    with (
        time_machine.travel(TOMORROW_10 + HOUR, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        booking_mark_no_show(booking=booking)
    assert [m.subject for m in mail.outbox] == ["We missed you, Booker 1"]
    assert booking.reminders.get(kind="follow-up").state == "cancelled"


def test_hold_blocks_the_slot_until_it_expires(session_type):
    """docs/reliability.md B-10: the hold lasts BOOKING_HOLD_MINUTES (15), checked at
    TTL - 1 s and TTL."""
    held = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1), hold=True)
    assert held.held_until == NOW + timedelta(minutes=15)
    with (
        time_machine.travel(NOW + timedelta(minutes=15, seconds=-1), tick=False),
        pytest.raises(SlotTaken),
    ):
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))
    with time_machine.travel(NOW + timedelta(minutes=15), tick=False):
        with pytest.raises(SlotTaken, match="run out"):
            booking_confirm_hold(booking=held)
        other = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))
    held.refresh_from_db()
    assert (held.status, other.status) == ("expired", "confirmed")


def test_hold_converts_before_it_expires(session_type):
    held = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1), hold=True)
    with time_machine.travel(NOW + timedelta(minutes=15, seconds=-1), tick=False):
        confirmed = booking_confirm_hold(booking=held)
    assert confirmed.status == Booking.Status.CONFIRMED
    assert confirmed.reminders.count() == 2


def test_intake_token_is_kept_and_a_bad_one_ignored(session_type):
    response_id = uuid4()
    token = make_token("intake-attach", str(response_id))
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1, intake_token=token)
    )
    assert booking.intake_public_id == response_id
    other = booking_create(
        session_type=session_type, start=TOMORROW_10 + HOUR, booker=booker(2, intake_token="nope")
    )
    assert other.intake_public_id is None


def test_newsletter_opt_in_calls_the_hook_after_commit(
    session_type, django_capture_on_commit_callbacks
):
    calls = []

    def receiver(**kwargs):
        calls.append(kwargs)

    with hooks.newsletter_signup.overridden(*hooks.newsletter_signup, receiver):
        with django_capture_on_commit_callbacks(execute=True):
            booking_create(
                session_type=session_type, start=TOMORROW_10, booker=booker(1, newsletter=True)
            )
            assert calls == []
        booking_create(session_type=session_type, start=TOMORROW_10 + HOUR, booker=booker(2))
    assert calls == [
        {"email": "booker1@example.org", "first_name": "Booker", "source": "booking",
         "ip": "", "user_agent": ""}
    ]  # fmt: skip


def test_discreet_client_record_makes_the_booking_discreet(session_type, coaching_client):
    coaching_client.discreet = True
    coaching_client.save()
    email = coaching_client.people.get().email
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1, email=email)
    )
    assert booking.discreet is True
    assert booking.client == coaching_client


def test_reminder_already_due_at_booking_time_is_recorded_as_skipped(session_type):
    soon = NOW + timedelta(hours=3)
    booking = booking_create(session_type=session_type, start=soon, booker=booker(1))
    states = dict(booking.reminders.values_list("kind", "state"))
    assert states == {"before-1440": "skipped", "before-60": "scheduled"}
    assert ReminderDelivery.objects.filter(state="scheduled").count() == 1


def test_daily_limit_closes_the_day(session_type):
    session_type.daily_limit = 1
    session_type.save()
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    with pytest.raises(SlotTaken):
        booking_create(session_type=session_type, start=TOMORROW_10 + 2 * HOUR, booker=booker(2))
    assert booking_create(
        session_type=session_type, start=TOMORROW_10 + timedelta(days=1), booker=booker(3)
    )


def test_every_offered_slot_is_bookable_and_no_other_time_is(session_type):
    """B-09 through the database: what the page offers is exactly what the service accepts."""
    from bookings.availability import is_bookable, slots_for

    session_type.buffer_after_minutes = 15
    session_type.step_minutes = 15
    session_type.save()
    BookingFactory(session_type=session_type, start=TOMORROW_10)
    offered = {
        slot.start for slot in slots_for(session_type, start_date=TOMORROW_10.date(), days=1)
    }
    grid = [TOMORROW_10.replace(hour=0) + timedelta(minutes=15 * n) for n in range(96)]
    for start in grid:
        assert is_bookable(session_type, start) == (start in offered), start
    assert TOMORROW_10 not in offered and TOMORROW_10 + HOUR not in offered
    assert TOMORROW_10 + timedelta(minutes=75) in offered


def test_a_client_made_discreet_later_gets_discreet_reminders(session_type):
    from bookings.formatting import booking_title

    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    booking.client.discreet = True
    booking.client.save()
    booking.refresh_from_db()
    assert booking_title(booking) == "Appointment with Maya"


@pytest.mark.parametrize("sqlstate", ["23P01", "40P01", "40001"])
def test_every_lost_race_reads_as_slot_taken(db, sqlstate):
    """B-02: exclusion violation, deadlock and serialization failure alike (PostgreSQL's codes)."""
    from django.db import IntegrityError, OperationalError

    from bookings.services import race_safe

    class PostgresError(Exception):
        pass

    def lose(error_class):
        cause = PostgresError()
        cause.sqlstate = sqlstate
        raise error_class("lost") from cause

    for error_class in (IntegrityError, OperationalError):
        with pytest.raises(SlotTaken):
            race_safe(lambda error_class=error_class: lose(error_class))
