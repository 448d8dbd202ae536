"""Reminder rows: scheduled with the booking, swept when due, each claimed once before sending.

Policies:
- Reminders default to 24 hours and 1 hour before (per session type), as elapsed time in UTC.
- A reminder that was already due when the booking was made is recorded as skipped.
- Late reminders (workers were down) go out only while the session is more than a twelfth of
  the reminder's lead time away, and at least 10 minutes (24 h kind: 2 h; 1 h kind: 10 min),
  and say how soon it is; otherwise they are skipped and the reason recorded.
- A free call gets a follow-up 30 minutes after it ends (not after a no-show), at most 3 days
  late.
- Claim, email and state change commit together: a worker that dies mid-send rolls all three
  back, and the sweeper queues the row again after REQUEUE_AFTER.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from bookings import notifications
from bookings.formatting import how_soon
from bookings.models import Booking, ReminderDelivery
from bookings.slots import due_at
from coaching import outbox

DEFAULT_MINUTES = (24 * 60, 60)
FOLLOW_UP_AFTER = timedelta(minutes=30)
FOLLOW_UP_LATEST = timedelta(days=3)
MIN_SKIP_THRESHOLD = timedelta(minutes=10)
# Longer than a send takes: a row queued this long ago lost its message (flushed broker, crash).
REQUEUE_AFTER = timedelta(minutes=5)
State = ReminderDelivery.State


def skip_threshold(minutes_before: int) -> timedelta:
    return max(MIN_SKIP_THRESHOLD, timedelta(minutes=minutes_before) / 12)


def _wanted(booking: Booking) -> dict[str, datetime]:
    minutes = booking.session_type.reminder_minutes or DEFAULT_MINUTES
    wanted = {f"before-{int(m)}": due_at(booking.start, timedelta(minutes=int(m))) for m in minutes}
    if booking.session_type.is_free:
        wanted[ReminderDelivery.FOLLOW_UP] = booking.end + FOLLOW_UP_AFTER
    return wanted


def schedule(booking: Booking, *, now: datetime) -> None:
    """Create the booking's reminders, or move them to its new time (sent ones go again)."""
    wanted = _wanted(booking)
    for kind, due in wanted.items():
        late = due <= now and kind != ReminderDelivery.FOLLOW_UP
        ReminderDelivery.objects.update_or_create(
            booking=booking,
            kind=kind,
            defaults={
                "due_at": due,
                "state": State.SKIPPED if late else State.SCHEDULED,
                "note": "already due when booked" if late else "",
                "queued_at": None,
                "claimed_at": None,
                "sent_at": None,
            },
        )
    booking.reminders.exclude(kind__in=wanted).filter(state=State.SCHEDULED).update(
        state=State.CANCELLED, note="no longer wanted"
    )


def drop(booking: Booking) -> int:
    """Cancel the booking's pending reminders (one being sent waits for our lock, then stops)."""
    return booking.reminders.filter(state=State.SCHEDULED).update(
        state=State.CANCELLED, note=f"booking {booking.status}"
    )


def sweep(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of due reminders to queue now; two sweepers at once never return the same row."""
    due = (
        ReminderDelivery.objects.filter(state=State.SCHEDULED, due_at__lte=now)
        .filter(Q(queued_at=None) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .order_by("due_at")
    )
    return outbox.sweep(due, limit=limit, queued_at=now)


def deliver(reminder_id: int, *, now: datetime) -> str:
    """Send one due reminder once: returns its final state, or "" when there was nothing to do.

    Once: the claim commits together with the recorded email and the outcome (a worker that
    dies mid-way rolls all three back, and the sweeper queues the row again); the email itself
    is then delivered at-least-once by `coaching.emails`.
    """
    with transaction.atomic():
        due = ReminderDelivery.objects.filter(
            pk=reminder_id, state=State.SCHEDULED, due_at__lte=now
        )
        if not outbox.claim(due, now=now, state=State.SENDING):
            return ""
        reminder = ReminderDelivery.objects.select_related(
            "booking__session_type", "booking__calendar"
        ).get(pk=reminder_id)
        reminder.state, reminder.note = _decide(reminder, now)
        if reminder.state == State.SENT:
            _send(reminder, now)
            reminder.sent_at = now
        reminder.save(update_fields=["state", "note", "sent_at"])
    return reminder.state


def _decide(reminder: ReminderDelivery, now: datetime) -> tuple[str, str]:
    booking = reminder.booking
    if reminder.kind == ReminderDelivery.FOLLOW_UP:
        if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.ATTENDED):
            return State.CANCELLED, f"booking {booking.status}"
        if now - reminder.due_at > FOLLOW_UP_LATEST:
            return State.SKIPPED, "more than 3 days late"
        return State.SENT, ""
    if booking.status != Booking.Status.CONFIRMED:
        return State.CANCELLED, f"booking {booking.status}"
    if booking.start - now <= skip_threshold(reminder.minutes_before):
        return State.SKIPPED, f"late: the session starts {how_soon(booking.start, now)}"
    return State.SENT, ""


def _send(reminder: ReminderDelivery, now: datetime) -> None:
    if reminder.kind == ReminderDelivery.FOLLOW_UP:
        notifications.follow_up(reminder.booking)
    else:
        notifications.reminder(reminder.booking, now=now)
