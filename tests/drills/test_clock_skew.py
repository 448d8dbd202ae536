"""Drill X-04 (docs/reliability.md): a worker whose clock is 120 s off. The reminder sweep and the
send compare the row's due time with the worker's clock (the `now` the task passes in), so a fast
clock may send up to the skew early and never more; a slow clock sends up to the skew late and
misses nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookings import reminders
from bookings.models import ReminderDelivery
from coaching.models import OutboundEmail
from tests.bookings.factories import BookingFactory, SessionTypeFactory

pytestmark = pytest.mark.xdist_group("drills")

SKEW = timedelta(seconds=120)


@pytest.fixture
def reminder_due_in():
    """Make a one-hour reminder due `offset` from the real now; returns its id."""

    def make(offset: timedelta) -> int:
        start = timezone.now() + timedelta(hours=1) + offset
        # A calendar each: the sessions overlap in time.
        session_type = SessionTypeFactory(reminder_minutes=[60])
        booking = BookingFactory(session_type=session_type, start=start)
        reminders.schedule(booking, now=timezone.now() - timedelta(days=1))
        return booking.reminders.get().pk

    return make


def _sweep_and_send() -> set[int]:
    """What a worker does at one beat tick, with its own clock."""
    swept = reminders.sweep(now=timezone.now())
    for reminder_id in swept:
        reminders.deliver(reminder_id, now=timezone.now())
    return set(swept)


def test_x04_a_fast_worker_clock_sends_nothing_earlier_than_the_skew(db, reminder_due_in):
    real_now = timezone.now()
    within = {reminder_due_in(timedelta(seconds=s)) for s in (-30, 60, 115)}
    beyond = {reminder_due_in(timedelta(seconds=s)) for s in (125, 300, 3600)}

    with time_machine.travel(real_now + SKEW, tick=False):
        sent = _sweep_and_send()

    assert sent == within and not sent & beyond
    assert OutboundEmail.objects.count() == 3
    for reminder in ReminderDelivery.objects.filter(pk__in=sent):
        assert reminder.state == "sent"
        assert reminder.due_at - real_now <= SKEW  # early by the skew at most, in real time


def test_x04_a_slow_worker_clock_sends_late_by_the_skew_and_misses_nothing(db, reminder_due_in):
    real_now = timezone.now()
    due = {reminder_due_in(timedelta(seconds=s)) for s in (-100, -30, 0)}

    with time_machine.travel(real_now - SKEW, tick=False):  # a tick now, by the worker's clock
        assert _sweep_and_send() == set()  # nothing due yet for this worker
    # A tick 150 s later in real time: the worker's clock says 30 s after the rows were due.
    with time_machine.travel(real_now + timedelta(seconds=30), tick=False):
        sent = _sweep_and_send()

    assert sent == due
    states = set(ReminderDelivery.objects.filter(pk__in=due).values_list("state", flat=True))
    assert states == {"sent"} and OutboundEmail.objects.count() == 3  # late, still worth sending
