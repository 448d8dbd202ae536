"""Zoom rooms behind the same interface, with Zoom's API played by a local HTTP server: made by
a task after the commit (never under the calendar's lock), once however often the task comes,
kept on a move, deleted at Zoom on a cancellation."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings import rooms, tasks
from bookings.models import Booking, VideoRoom
from bookings.services import booking_cancel, booking_create, booking_move
from coaching.models import OutboundEmail
from tests.bookings.conftest import booker
from tests.bookings.factories import BookingFactory
from tests.bookings.test_concurrency import race

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)


def book(session_type, capture, **kwargs) -> Booking:
    with capture(execute=True):  # the commit queues the room's task (eager here)
        return booking_create(
            session_type=session_type, start=TOMORROW_10, booker=booker(1, **kwargs)
        )


@pytest.mark.usefixtures("frozen")
def test_the_room_is_made_after_the_commit_and_its_link_emailed(
    session_type, fake_zoom, django_capture_on_commit_callbacks
):
    booking = book(session_type, django_capture_on_commit_callbacks)
    (meeting,) = fake_zoom.calls("POST", "/v2/users/me/meetings")
    assert meeting["start_time"] == "2026-01-06T10:00:00Z" and meeting["duration"] == 60
    assert meeting["settings"]["waiting_room"] is True
    room = VideoRoom.objects.get(booking=booking)
    assert room.provider == "zoom" and room.join_url.startswith("https://us02web.zoom.us/j/")
    confirmation, link = OutboundEmail.objects.filter(to=booking.email).order_by("pk")
    assert "your private link follows by email" in confirmation.body_text
    assert link.subject.startswith("Your video link:") and room.join_url in link.body_text
    assert room.join_url in link.attachments[0]["content"].replace("\r\n ", "")


@pytest.mark.usefixtures("frozen")
def test_zoom_hears_nothing_of_the_client_or_a_discreet_subject(
    session_type, fake_zoom, django_capture_on_commit_callbacks
):
    book(session_type, django_capture_on_commit_callbacks, name="Ada Lovelace", discreet=True)
    sent = str(fake_zoom.requests)
    assert "Ada" not in sent and "booker1@example.org" not in sent
    assert session_type.name not in sent and "Appointment with Maya" in sent


@pytest.mark.usefixtures("frozen")
def test_the_task_delivered_twice_creates_one_meeting(
    session_type, fake_zoom, django_capture_on_commit_callbacks
):
    booking = book(session_type, django_capture_on_commit_callbacks)
    tasks.open_video_room(booking.pk)
    tasks.open_video_room(booking.pk)
    assert len(fake_zoom.calls("POST", "/v2/users/me/meetings")) == 1
    assert VideoRoom.objects.count() == 1
    assert OutboundEmail.objects.filter(subject__startswith="Your video link:").count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_deliveries_at_once_create_one_meeting(session_type, fake_zoom):
    """The booking's row lock: the first delivery calls Zoom, the others wait and find it."""
    booking = BookingFactory(session_type=session_type, start=datetime.now(UTC) + timedelta(days=2))
    results = race([lambda: rooms.video_room_open(booking_id=booking.pk)] * 5)
    assert len({result.pk for result in results}) == 1, results
    assert len(fake_zoom.calls("POST", "/v2/users/me/meetings")) == 1


@pytest.mark.usefixtures("frozen")
def test_a_move_keeps_the_meeting_and_gives_it_the_new_time(
    session_type, fake_zoom, django_capture_on_commit_callbacks
):
    booking = book(session_type, django_capture_on_commit_callbacks)
    url = VideoRoom.objects.get().join_url
    with django_capture_on_commit_callbacks(execute=True):
        booking_move(booking=booking, start=TOMORROW_10 + timedelta(hours=2))
    assert len(fake_zoom.calls("POST", "/v2/users/me/meetings")) == 1
    room = VideoRoom.objects.get()
    assert room.join_url == url
    assert fake_zoom.calls("PATCH", f"/v2/meetings/{room.external_id}") == [
        {"start_time": "2026-01-06T12:00:00Z", "duration": 60, "timezone": "UTC"}
    ]
    assert fake_zoom.meetings[room.external_id]["start_time"] == "2026-01-06T12:00:00Z"
    assert (
        url in OutboundEmail.objects.get(subject__startswith="Moved:", to=booking.email).body_text
    )


@pytest.mark.usefixtures("frozen")
def test_a_cancellation_deletes_the_meeting_at_zoom(
    session_type, fake_zoom, django_capture_on_commit_callbacks
):
    booking = book(session_type, django_capture_on_commit_callbacks)
    room = VideoRoom.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking)
    assert [path for method, path, _ in fake_zoom.requests if method == "DELETE"] == [
        f"/v2/meetings/{room.external_id}"
    ]
    assert fake_zoom.meetings == {}
    tasks.end_video_room(room.pk)  # again: Zoom says 404, which is as good
    room.refresh_from_db()
    assert room.ended_at is not None


def test_zoom_down_leaves_the_booking_confirmed_and_the_sweep_makes_the_room_later(
    session_type, fake_zoom, django_capture_on_commit_callbacks, frozen
):
    fake_zoom.failing = True
    booking = book(session_type, django_capture_on_commit_callbacks)
    assert booking.status == Booking.Status.CONFIRMED and not VideoRoom.objects.exists()
    frozen.shift(rooms.RETRY_AFTER + timedelta(seconds=1))
    tasks.sweep_video_rooms()  # still down: nothing made, nothing raised
    assert not VideoRoom.objects.exists()
    fake_zoom.failing = False
    tasks.sweep_video_rooms()
    tasks.sweep_video_rooms()
    assert VideoRoom.objects.count() == 1 and len(fake_zoom.meetings) == 1
