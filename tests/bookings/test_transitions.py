"""The status changes a booking may make (`Booking.TRANSITIONS`), and the rules on one booking
that the services and the portal share."""

from datetime import timedelta
from itertools import product

import pytest

from bookings.models import Booking
from clients.models import Client
from tests.bookings.conftest import NOW
from tests.bookings.factories import BookingFactory, FreeCallFactory, SessionTypeFactory

Status = Booking.Status
ALLOWED = [
    (Status.HELD, Status.PENDING),
    (Status.HELD, Status.CONFIRMED),
    (Status.HELD, Status.EXPIRED),
    (Status.PENDING, Status.CONFIRMED),
    (Status.PENDING, Status.DECLINED),
    (Status.PENDING, Status.CANCELLED),
    (Status.CONFIRMED, Status.ATTENDED),
    (Status.CONFIRMED, Status.NO_SHOW),
    (Status.CONFIRMED, Status.CANCELLED),
    # A payment that succeeded after its hold ran out, while the time is still free.
    (Status.EXPIRED, Status.PENDING),
    (Status.EXPIRED, Status.CONFIRMED),
]
REFUSED = [pair for pair in product(Status, Status) if pair not in ALLOWED]
START = NOW + timedelta(days=1)


def _booking(status: str) -> Booking:
    return BookingFactory(start=START, status=status)


def _row(booking: Booking) -> tuple:
    return Booking.objects.filter(pk=booking.pk).values_list("status", "sequence", "updated_at")[0]


def test_the_table_holds_exactly_the_allowed_changes():
    table = {(old, new) for old, targets in Booking.TRANSITIONS.items() for new in targets}
    assert table == set(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_an_allowed_change_is_made_and_counted(old, new):
    booking = _booking(old)
    assert booking.transition(from_status=old, to_status=new) is True
    assert _row(booking)[:2] == (new, 1)


@pytest.mark.django_db
def test_a_change_the_table_refuses_changes_nothing():
    bookings = {status: _booking(status) for status in Status}
    before = {status: _row(booking) for status, booking in bookings.items()}
    for old, new in REFUSED:
        with pytest.raises(ValueError, match="cannot go from"):
            bookings[old].transition(from_status=old, to_status=new)
    assert {status: _row(booking) for status, booking in bookings.items()} == before


@pytest.mark.django_db
def test_a_booking_no_longer_in_the_from_status_is_left_alone():
    """A second tab approving what the first already approved: one UPDATE wins, one does not."""
    booking = _booking(Status.PENDING)
    assert booking.transition(from_status=Status.PENDING, to_status=Status.CONFIRMED)
    after_first = _row(booking)
    assert not booking.transition(from_status=Status.PENDING, to_status=Status.DECLINED)
    assert _row(booking) == after_first == (Status.CONFIRMED, 1, after_first[2])


@pytest.mark.django_db
def test_the_queryset_changes_only_the_rows_in_the_from_status():
    held, confirmed = _booking(Status.HELD), _booking(Status.CONFIRMED)
    changed = Booking.objects.filter(pk__in=[held.pk, confirmed.pk]).transition(
        from_status=Status.HELD, to_status=Status.EXPIRED
    )
    assert changed == 1
    assert (_row(held)[0], _row(confirmed)[0]) == (Status.EXPIRED, Status.CONFIRMED)


@pytest.mark.django_db
def test_the_stage_a_booking_gives_its_client():
    free_call = BookingFactory(session_type=FreeCallFactory(), start=START)
    session = BookingFactory(session_type=SessionTypeFactory(), start=START)
    assert free_call.client_stage == Client.Stage.FREE_CALL_BOOKED
    assert session.client_stage == Client.Stage.CLIENT


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("ends_in", [timedelta(minutes=-1), timedelta(minutes=1)])
def test_is_upcoming_agrees_with_the_upcoming_queryset(status, ends_in):
    booking = _booking(status)
    now = booking.end - ends_in
    assert booking.is_upcoming(now) == Booking.objects.upcoming(now).filter(pk=booking.pk).exists()
