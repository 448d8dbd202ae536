"""Where people see a booking's room: the confirmation page, the client's portal and the coach's
booking page; and where they no longer do once it is cancelled."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from bookings.links import manage_token
from bookings.models import Booking
from bookings.services import booking_cancel, booking_create
from tests.bookings.conftest import book_through_the_form, booker
from tests.factories import PersonFactory, UserFactory

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_confirmation_page_shows_the_room_and_puts_it_in_the_calendar_links(
    client, session_type
):
    page = client.get(book_through_the_form(client, session_type, TOMORROW_10)).text
    url = Booking.objects.get().join_url
    assert f'<a class="join-link" href="{url}"' in page
    assert page.count(url.rsplit("/", 1)[1]) == 4  # the link, its text, Google, Outlook
    assert "https://calendar.google.com/calendar/render?" in page


def test_the_client_joins_from_her_portal(client, session_type):
    user = UserFactory(email="ada@example.org")
    PersonFactory(user=user, email="ada@example.org", name="Ada Lovelace")
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1, email="ada@example.org")
    )
    client.force_login(user)
    page = client.get(reverse("clients:index")).text
    assert f'href="{booking.join_url}"' in page and "Join the video call" in page
    booking_cancel(booking=booking)
    page = client.get(reverse("clients:index")).text
    assert "Join the video call" not in page


def test_the_coachs_booking_page_shows_the_room(coach_client, session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    page = coach_client.get(reverse("bookings_coach:detail", args=[booking.pk])).text
    assert f'href="{booking.join_url}"' in page


def test_after_a_cancellation_the_manage_link_shows_no_room(client, session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    url, token = booking.join_url, manage_token(booking)
    booking_cancel(booking=booking)
    page = client.get(reverse("bookings:booked", args=[token]))
    assert url not in page.text


def test_the_coachs_dashboard_joins_todays_video_sessions(coach_client, session_type):
    today = booking_create(
        session_type=session_type, start=TOMORROW_10 - timedelta(days=1), booker=booker(1)
    )
    page = coach_client.get("/coach/").text
    assert f'href="{today.join_url}"' in page and "Join<span" in page


def test_the_demo_bookings_have_rooms_of_their_own(coach):
    call_command("seed_demo")
    video = Booking.objects.filter(session_type__location="video")
    assert video.count() == 2
    assert all(booking.join_url.startswith("https://video.example.com/") for booking in video)
