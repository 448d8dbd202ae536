"""A private video room per booking (Jitsi, the default provider): made once on confirmation,
kept on a move, ended on a cancellation, shown wherever the booking is, saying nothing."""

import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.core.checks import run_checks
from icalendar import Calendar

from bookings import ics, rooms, tasks
from bookings.models import Booking, SessionType, VideoRoom
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_confirm_hold,
    booking_create,
    booking_move,
)
from coaching.models import OutboundEmail
from tests.bookings.conftest import booker
from tests.bookings.factories import BookingFactory

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
ROOM_URL = re.compile(r"^https://video\.example\.com/[a-z2-7]{32}$")

pytestmark = pytest.mark.usefixtures("frozen")


def book(session_type, start=TOMORROW_10, n=1, **kwargs) -> Booking:
    return booking_create(session_type=session_type, start=start, booker=booker(n, **kwargs))


def booker_emails(booking) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=booking.email, template="booking_booker"))


def invite_event(email: OutboundEmail):
    return Calendar.from_ical(email.attachments[0]["content"]).walk("VEVENT")[0]


def test_a_confirmed_video_booking_gets_a_private_room_of_its_own(session_type):
    first, second = (
        book(session_type, n=1),
        book(session_type, TOMORROW_10 + timedelta(hours=2), n=2),
    )
    assert VideoRoom.objects.count() == 2
    assert ROOM_URL.match(first.video_room.join_url) and ROOM_URL.match(second.video_room.join_url)
    assert first.video_room.join_url != second.video_room.join_url
    assert first.video_room.provider == "jitsi"
    assert session_type.location_detail not in first.join_url  # never the shared link


def test_the_confirmation_email_and_its_invite_carry_the_room(session_type):
    booking = book(session_type)
    url = booking.video_room.join_url
    (confirmation,) = booker_emails(booking)
    assert f"Where: Video call: {url}" in confirmation.body_text
    assert (
        f'href="{url}"' in confirmation.body_html
        and "Join the video call" in confirmation.body_html
    )
    event = invite_event(confirmation)
    assert str(event["LOCATION"]) == url and str(event["URL"]) == url
    # The coach joins the same room, from her calendar feed too.
    feed = Calendar.from_ical(ics.coach_feed(Booking.objects.select_related("video_room")))
    assert str(feed.walk("VEVENT")[0]["URL"]) == url


def test_the_room_says_nothing_about_the_booker_or_the_subject(session_type):
    booking = book(session_type, name="Ada Lovelace", topic="Intimacy", discreet=True)
    url = booking.video_room.join_url.lower()
    for word in ("ada", "lovelace", "booker", "session", "intimacy", "maya", "coach"):
        assert word not in url.removeprefix("https://video.example.com/")
    (confirmation,) = booker_emails(booking)
    assert confirmation.subject == "Confirmed: Appointment with Maya"
    assert session_type.name not in confirmation.body_text + confirmation.body_html
    assert booking.video_room.join_url in confirmation.body_text


def test_a_pending_request_gets_its_room_when_approved_once(session_type):
    session_type.needs_approval = True
    session_type.save()
    booking = book(session_type)
    assert not VideoRoom.objects.exists()
    (requested,) = booker_emails(booking)
    assert "Video call (your private link follows by email)" in requested.body_text
    approved = booking_approve(booking=booking)
    room = VideoRoom.objects.get()
    assert approved.join_url == room.join_url
    assert room.join_url in booker_emails(booking)[-1].body_text


def test_a_held_time_gets_its_room_when_confirmed(session_type):
    held = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1), hold=True)
    assert not VideoRoom.objects.exists()
    booking_confirm_hold(booking=held)
    assert ROOM_URL.match(VideoRoom.objects.get(booking=held).join_url)


@pytest.mark.parametrize(
    ("location", "detail"),
    [("in_person", "12 Harley Street, London"), ("phone", "Maya will call your number")],
)
def test_in_person_and_phone_sessions_keep_their_place_and_get_no_room(
    session_type, location, detail
):
    SessionType.objects.filter(pk=session_type.pk).update(location=location, location_detail=detail)
    session_type.refresh_from_db()
    booking = book(session_type)
    assert not VideoRoom.objects.exists() and booking.join_url == ""
    (confirmation,) = booker_emails(booking)
    assert f"Where: {session_type.get_location_display()}: {detail}" in confirmation.body_text
    event = invite_event(confirmation)
    assert str(event["LOCATION"]).endswith(detail) and "URL" not in event


def test_a_move_keeps_the_room(session_type):
    booking = book(session_type)
    url = booking.video_room.join_url
    moved = booking_move(booking=booking, start=TOMORROW_10 + timedelta(hours=3))
    assert VideoRoom.objects.get().join_url == url == moved.join_url
    moved_email = OutboundEmail.objects.get(subject__startswith="Moved:", to=booking.email)
    assert url in moved_email.body_text
    assert str(invite_event(moved_email)["URL"]) == url


def test_a_cancellation_ends_the_room_and_no_page_or_email_shows_it_again(client, session_type):
    booking = book(session_type)
    url = booking.video_room.join_url
    cancelled = booking_cancel(booking=booking)
    room = VideoRoom.objects.get()
    assert room.ended_at is not None and cancelled.join_url == ""
    cancellation = OutboundEmail.objects.get(subject__startswith="Cancelled:", to=booking.email)
    assert url not in cancellation.body_text + cancellation.body_html
    event = invite_event(cancellation)
    assert url not in event.to_ical().decode() and "URL" not in event
    # Confirming again (a redelivered task) does not bring it back.
    assert rooms.video_room_open(booking_id=booking.pk) is None
    assert VideoRoom.objects.count() == 1


def test_the_task_delivered_twice_makes_nothing_twice(session_type):
    booking = book(session_type)
    url = booking.video_room.join_url
    tasks.open_video_room(booking.pk)
    tasks.open_video_room(booking.pk)
    assert list(VideoRoom.objects.values_list("join_url", flat=True)) == [url]
    assert len(booker_emails(booking)) == 1  # the confirmation only: no "your link" email


def test_the_sweep_gives_a_room_to_a_confirmed_booking_that_has_none(session_type, frozen):
    # Written straight to the table: as if the room's task was lost with the broker.
    lost = BookingFactory(session_type=session_type, start=TOMORROW_10, email="lost@example.org")
    assert rooms.sweep(now=datetime.now(UTC)) == []  # give the task its time first
    frozen.shift(rooms.RETRY_AFTER + timedelta(seconds=1))
    tasks.sweep_video_rooms()
    tasks.sweep_video_rooms()
    room = VideoRoom.objects.get(booking=lost)
    email = OutboundEmail.objects.get(to="lost@example.org")
    assert email.subject.startswith("Your video link:") and room.join_url in email.body_text
    assert int(invite_event(email)["SEQUENCE"]) == 1  # calendars take the new LOCATION


def test_the_migration_keeps_the_shared_link_already_sent_to_existing_bookings(
    session_type, frozen
):
    old = BookingFactory(session_type=session_type, start=TOMORROW_10)
    migration = importlib.import_module("bookings.migrations.0006_private_video_room_per_booking")
    migration.keep_the_links_already_sent(apps, None)
    room = VideoRoom.objects.get(booking=old)
    assert (room.provider, room.join_url) == ("static", session_type.location_detail)
    assert old.join_url == session_type.location_detail
    frozen.shift(rooms.RETRY_AFTER * 2)
    tasks.sweep_video_rooms()  # it has a room: nothing new is made or sent
    assert VideoRoom.objects.count() == 1 and not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"VIDEO_ROOM_PROVIDER": "skype"}, "VIDEO_ROOM_PROVIDER"),
        ({"VIDEO_ROOM_BASE_URL": "meet.example.com"}, "VIDEO_ROOM_BASE_URL"),
        ({"VIDEO_ROOM_BASE_URL": "http://meet.example.com"}, "VIDEO_ROOM_BASE_URL"),
        ({"VIDEO_ROOM_PROVIDER": "zoom", "ZOOM_CLIENT_SECRET": ""}, "ZOOM_CLIENT_SECRET"),
    ],
)
def test_bad_video_settings_stop_start_up_naming_the_variable(settings, overrides, variable):
    for name, value in overrides.items():
        setattr(settings, name, value)
    errors = [str(message) for message in run_checks() if message.is_serious()]
    assert any(variable in error for error in errors), errors
