"""A Zoom room through a real worker on Redis, Zoom's API on a local server: the task delivered
three times (as redeliveries would) makes one meeting and sends one "your video link" email."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import tasks
from bookings.models import VideoRoom
from coaching import emails
from tests.bookings.factories import BookingFactory, SessionTypeFactory
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_a_room_task_delivered_three_times_makes_one_meeting(celery_worker, smtp_sink, fake_zoom):
    celery_worker.env.update(
        VIDEO_ROOM_PROVIDER="zoom", ZOOM_ACCOUNT_ID="acct", ZOOM_CLIENT_ID="client",
        ZOOM_CLIENT_SECRET="secret", ZOOM_API_URL=f"{fake_zoom.url}/v2",
        ZOOM_OAUTH_URL=f"{fake_zoom.url}/oauth/token",
    )  # fmt: skip
    # Confirmed, without a room yet: as when the commit has just queued its task.
    booking = BookingFactory(
        session_type=SessionTypeFactory(), start=timezone.now() + timedelta(days=2)
    )
    celery_worker.start()
    for _ in range(3):
        tasks.open_video_room.delay(booking.pk)
    # The link email is queued when the room's transaction commits, a moment after the room
    # is visible: wait for it, then for one more email queued behind the duplicates.
    wait_for(lambda: any(m["Subject"].startswith("Your video link:") for m in smtp_sink.messages))
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: any(m["To"] == "last@example.org" for m in smtp_sink.messages))

    assert len(fake_zoom.calls("POST", "/v2/users/me/meetings")) == 1
    room = VideoRoom.objects.get()
    links = [m for m in smtp_sink.messages if m["Subject"].startswith("Your video link:")]
    assert len(links) == 1 and links[0]["To"] == booking.email
    assert room.join_url in links[0].get_body(preferencelist=("plain",)).get_content()
