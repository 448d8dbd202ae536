import logging

from celery import shared_task
from django.utils import timezone

from bookings import reminders, rooms, services
from bookings.video import ProviderError

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminder(reminder_id: int) -> None:
    """Send one due reminder. The message is at-least-once (acks late, redelivered when a
    worker dies); the effect is once, by the row's claim, which commits with the email."""
    reminders.deliver(reminder_id, now=timezone.now())


@shared_task
def sweep_reminders() -> None:
    """Beat, every minute: queue one small task per due reminder (at-most-once per tick;
    a lost tick or message is made good by the next sweep)."""
    for reminder_id in reminders.sweep(now=timezone.now()):
        send_reminder.delay(reminder_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def open_video_room(booking_id: int) -> None:
    """Make a confirmed booking's video room at the provider. At-least-once delivery; once in
    effect: the booking's row lock and its one-to-one room make a redelivery a no-op. A
    provider that fails is tried again by the minute's sweep, until the session ends."""
    try:
        rooms.video_room_open(booking_id=booking_id)
    except ProviderError as exc:
        logger.warning("Video room for booking %s not made: %s", booking_id, exc)


@shared_task(autoretry_for=(ProviderError,), retry_backoff=30, max_retries=5)
def move_video_room(room_id: int) -> None:
    """Give a moved booking's Zoom meeting its new time; the link stays the same."""
    rooms.video_room_move(room_id=room_id)


@shared_task(autoretry_for=(ProviderError,), retry_backoff=30, max_retries=5)
def end_video_room(room_id: int) -> None:
    """Delete a cancelled booking's room at the provider; deleting twice is harmless."""
    rooms.video_room_end(room_id=room_id)


@shared_task
def sweep_video_rooms() -> None:
    """Beat, every minute: queue the room of any confirmed video booking still without one."""
    for booking_id in rooms.sweep(now=timezone.now()):
        open_video_room.delay(booking_id)


@shared_task
def read_busy_calendars() -> None:
    """Beat, every few minutes: read each of the coach's calendars (idempotent: a read replaces
    a calendar's busy times with what its feed says now), then email the coach once about a
    calendar that has not been read for a day."""
    from bookings import feeds
    from bookings.models import BusyCalendar

    for feed_id in BusyCalendar.objects.values_list("pk", flat=True):
        feeds.busy_calendar_read(feed_id=feed_id, now=timezone.now())
    feeds.busy_calendar_alerts_send(now=timezone.now())


@shared_task
def expire_holds() -> None:
    """Beat, every minute: holds whose time is up free their time (one conditional UPDATE, so
    two sweeps at once expire each hold once). A payment that still comes is handled late."""
    services.expire_holds(None, timezone.now())
