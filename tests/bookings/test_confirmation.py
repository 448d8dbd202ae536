"""The confirmation page: the booker named only in the browser that booked, and "add to
calendar" links that carry nothing personal."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from bookings import ics
from bookings.calendar_links import calendar_links
from bookings.links import manage_token
from bookings.models import Booking
from bookings.services import booking_create
from tests.bookings.conftest import book_through_the_form, booker

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
NAME, EMAIL = "Ada Lovelace", "ada@example.org"

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_browser_that_booked_sees_the_name_and_email(client, session_type):
    page = client.get(book_through_the_form(client, session_type, TOMORROW_10))
    assert f"You are booked, {NAME}" in page.text and EMAIL in page.text


def test_anyone_else_holding_the_link_sees_neither_name_nor_email(
    client, session_type, client_user
):
    confirmation = book_through_the_form(client, session_type, TOMORROW_10)
    signed_in_as_someone_else = Client()
    signed_in_as_someone_else.force_login(client_user)
    for other in (Client(), signed_in_as_someone_else):
        page = other.get(confirmation)
        assert page.status_code == 200
        assert "You are booked" in page.text and "your email address" in page.text
        assert NAME not in page.text and EMAIL not in page.text
        assert "Lovelace" not in page.text and "ada@" not in page.text


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_calendar_links_carry_the_event_in_the_bookers_zone(session_type):
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10,
        booker=booker(1, name=NAME, email=EMAIL, time_zone="America/New_York"),
    )  # fmt: skip
    links = calendar_links(booking)
    google, outlook = query(links.google), query(links.outlook)
    assert links.google.startswith("https://calendar.google.com/calendar/render?")
    assert (google["action"], google["text"]) == ("TEMPLATE", f"{session_type.name} with Maya")
    assert (google["dates"], google["ctz"]) == (
        "20260106T100000Z/20260106T110000Z",
        "America/New_York",
    )
    room = booking.video_room
    assert google["location"] == outlook["location"] == room.join_url
    assert links.outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert (outlook["rru"], outlook["subject"]) == ("addevent", f"{session_type.name} with Maya")
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2026-01-06T10:00:00Z",
        "2026-01-06T11:00:00Z",
    )
    for url in (links.google, links.outlook):
        assert "Ada" not in url and "ada%40" not in url and "example.org" not in url
        assert manage_token(booking) not in url and "+" not in url


def test_calendar_links_are_neutral_in_discreet_mode(session_type):
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1, discreet=True)
    )
    links = calendar_links(booking)
    assert query(links.google)["text"] == query(links.outlook)["subject"] == "Appointment with Maya"
    assert session_type.name not in links.google + links.outlook


def test_the_confirmation_page_offers_google_outlook_and_apple(client, session_type):
    page = client.get(book_through_the_form(client, session_type, TOMORROW_10))
    assert "Add it to your calendar" in page.text
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page.text
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page.text
    booking = Booking.objects.get()
    assert reverse("bookings:invite", args=[manage_token(booking)]) in page.text


def test_a_request_waiting_for_approval_offers_no_calendar_links_yet(client, session_type):
    session_type.needs_approval = True
    session_type.save()
    page = client.get(book_through_the_form(client, session_type, TOMORROW_10))
    assert "Thank you: your request is in" in page.text
    assert "Add it to your calendar" not in page.text


def test_the_ics_download_is_the_booking_without_its_attendee(client, session_type):
    booking = booking_create(
        session_type=session_type, start=TOMORROW_10, booker=booker(1, name=NAME, email=EMAIL)
    )
    response = client.get(reverse("bookings:invite", args=[manage_token(booking)]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="appointment.ics"'
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "PUBLISH" and event["UID"] == ics.uid(booking)
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (booking.start, booking.end)
    assert "ATTENDEE" not in event and EMAIL not in response.text and "Ada" not in response.text
