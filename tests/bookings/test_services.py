"""The booking service against the real database: rules, pipeline, emails, holds, keys."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bookings.models import Booking
from bookings.services import (
    IdempotencyConflict,
    SlotTaken,
    booking_cancel,
    booking_create,
)
from clients.models import Client
from tests.bookings.conftest import booker
from tests.bookings.factories import BookingFactory

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

pytestmark = pytest.mark.usefixtures("frozen")


def test_booking_confirms_creates_a_lead_and_schedules_reminders(free_call):
    booking = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.end - booking.start == timedelta(minutes=45)
    assert booking.client.stage == Client.Stage.FREE_CALL_BOOKED
    assert booking.client.source == Client.Source.BOOKING
    kinds = dict(booking.reminders.values_list("kind", "due_at"))
    assert kinds == {
        "before-1440": TOMORROW_10 - timedelta(hours=24),
        "before-60": TOMORROW_10 - HOUR,
        "follow-up": TOMORROW_10 + timedelta(minutes=75),
    }


def test_paid_booking_makes_the_lead_a_client(session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    assert booking.client.stage == Client.Stage.CLIENT


def test_booking_sends_confirmation_and_coach_notification(
    session_type, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    to = sorted(message.to[0] for message in mail.outbox)
    assert to == ["booker1@example.org", "coach@example.com"]
    confirmation = next(m for m in mail.outbox if m.to == ["booker1@example.org"])
    assert confirmation.subject.startswith("Confirmed:")
    assert "/book/manage/" in confirmation.body
    assert confirmation.attachments[0][0] == "invite.ics"


def test_a_time_that_is_not_offered_is_refused(session_type):
    with pytest.raises(SlotTaken):
        booking_create(
            session_type=session_type, start=TOMORROW_10.replace(hour=20), booker=booker()
        )
    with pytest.raises(SlotTaken):  # off the 60-minute grid
        booking_create(
            session_type=session_type, start=TOMORROW_10 + timedelta(minutes=15), booker=booker()
        )


def test_a_taken_time_is_refused(session_type):
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    with pytest.raises(SlotTaken):
        booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(2))
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_touch_without_overlapping(session_type):
    """docs/reliability.md B-03 at the constraint itself, bypassing the service's checks."""
    BookingFactory(session_type=session_type, start=TOMORROW_10 - HOUR)
    BookingFactory(session_type=session_type, start=TOMORROW_10)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(session_type=session_type, start=TOMORROW_10 + HOUR - timedelta(seconds=1))
    assert Booking.objects.count() == 2


def test_constraint_covers_buffers_but_not_cancelled_bookings(session_type):
    session_type.buffer_after_minutes = 15
    session_type.save()
    first = BookingFactory(session_type=session_type, start=TOMORROW_10)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(session_type=session_type, start=TOMORROW_10 + HOUR)
    first.status = Booking.Status.CANCELLED
    first.save()
    BookingFactory(session_type=session_type, start=TOMORROW_10 + HOUR)


def test_second_free_call_for_the_same_email_is_refused_kindly(free_call):
    booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    later = TOMORROW_10 + timedelta(days=1)
    with pytest.raises(ValidationError, match="already booked a free call") as error:
        booking_create(
            session_type=free_call, start=later, booker=booker(1, email="BOOKER1@example.org")
        )
    assert error.value.code == "one_per_person"


def test_a_cancelled_free_call_can_be_booked_again(free_call):
    first = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    booking_cancel(booking=first)
    again = booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    assert again.status == Booking.Status.CONFIRMED


def test_same_idempotency_key_returns_the_same_booking(session_type):
    key = uuid4().hex
    first = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1), idempotency_key=key
    )
    second = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1), idempotency_key=key
    )
    assert first.pk == second.pk
    with pytest.raises(IdempotencyConflict):
        booking_create(
            session_type=session_type,
            start=TOMORROW_10 + HOUR,
            booker=booker(1),
            idempotency_key=key,
        )
    assert Booking.objects.count() == 1
