"""Private video rooms: one per confirmed video booking, made once, kept on a move, ended on a
cancellation.

A provider without network calls (Jitsi) makes the room inside the confirming transaction, so
the confirmation email already carries it. A provider behind an HTTP API (Zoom) is never called
while a request holds the calendar's lock: the room is made by a task after the commit, which
then emails the link; until then pages and emails say "the link follows by email". A beat
sweep queues the task again for any confirmed video booking still without a room (a lost
message, Zoom down for a while), so the room comes late rather than never.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction

from bookings import notifications
from bookings.formatting import booking_title
from bookings.models import Booking, SessionType, VideoRoom
from bookings.video import get_provider

logger = logging.getLogger(__name__)

# Longer than the task takes after a commit: a booking without a room after this lost its task.
RETRY_AFTER = timedelta(minutes=2)


def wants_room(booking: Booking) -> bool:
    return (
        booking.status == Booking.Status.CONFIRMED
        and booking.session_type.location == SessionType.Location.VIDEO
    )


def on_confirmed(booking: Booking) -> None:
    """Called in the transaction that confirms `booking`: its room now, or by a task."""
    if not wants_room(booking) or VideoRoom.objects.filter(booking=booking).exists():
        return  # a pending booking may hold the shared link it was sent before (migration 0006)
    if get_provider().needs_network:
        from bookings.tasks import open_video_room  # tasks import this module

        open_video_room.delay_on_commit(booking.pk)
        return
    booking.video_room = _open(booking, announce=False)


def video_room_open(*, booking_id: int) -> VideoRoom | None:
    """Give a confirmed video booking its room, once, and email the link (the task's service).

    Idempotent: the booking's row lock makes a second delivery wait for the first and then
    find its room. The provider is called under that lock (its timeout bounds the wait); a
    crash between the provider's answer and the commit leaves one unused meeting behind.
    """
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("session_type", "calendar", "client")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or not wants_room(booking):
            return None
        existing = VideoRoom.objects.filter(booking=booking).first()
        return existing or _open(booking, announce=True)


def _open(booking: Booking, *, announce: bool) -> VideoRoom:
    provider = get_provider()
    room = provider.create(
        title=booking_title(booking),  # neutral in discreet mode
        start=booking.start,
        duration_minutes=booking.session_type.duration_minutes,
    )
    video_room = VideoRoom.objects.create(
        booking=booking, provider=provider.key, external_id=room.external_id,
        join_url=room.join_url,
    )  # fmt: skip
    booking.video_room = video_room
    if announce:  # the confirmation went without the link: a new version of the invite
        booking.sequence += 1
        booking.save(update_fields=["sequence", "updated_at"])
        notifications.room_ready(booking)
    logger.info("Video room %s made for booking %s", provider.key, booking.pk)
    return video_room


def on_cancelled(booking: Booking, *, now: datetime) -> None:
    """Called in the cancelling transaction: the room is no longer shown anywhere; a room the
    provider keeps (Zoom) is deleted there by a task after the commit."""
    room = VideoRoom.objects.filter(booking=booking, ended_at=None).first()
    if room is None:
        return
    room.ended_at = now
    room.save(update_fields=["ended_at"])
    booking.video_room = room
    if room.provider == "zoom":
        from bookings.tasks import end_video_room

        end_video_room.delay_on_commit(room.pk)


def on_moved(booking: Booking) -> None:
    """Called in the moving transaction: the room stays; a provider that keeps a time for it
    (Zoom) hears the new one from a task after the commit."""
    room = VideoRoom.objects.filter(booking=booking, ended_at=None).first()
    if room is not None and room.provider == "zoom":
        from bookings.tasks import move_video_room

        move_video_room.delay_on_commit(room.pk)


def video_room_move(*, room_id: int) -> None:
    """Tell the provider the booking's time as it is now (the task's service): repeating it
    changes nothing, and two moves in a row end at the later time, whichever task runs last."""
    room = VideoRoom.objects.select_related("booking__session_type").filter(pk=room_id).first()
    if room is None or not room.is_open or not room.booking.is_active:
        return
    booking = room.booking
    get_provider(room.provider).move(
        room.external_id,
        start=booking.start,
        duration_minutes=booking.session_type.duration_minutes,
    )


def video_room_end(*, room_id: int) -> None:
    """Delete an ended room at its provider (the task's service); a room gone is as good."""
    room = VideoRoom.objects.filter(pk=room_id).exclude(ended_at=None).first()
    if room is not None:
        get_provider(room.provider).end(room.external_id)


def sweep(*, now: datetime) -> list[int]:
    """The confirmed, not yet finished video bookings that still have no room."""
    return list(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED, session_type__location=SessionType.Location.VIDEO,
            video_room__isnull=True, end__gt=now, updated_at__lt=now - RETRY_AFTER,
        ).values_list("pk", flat=True)[:100]
    )  # fmt: skip
