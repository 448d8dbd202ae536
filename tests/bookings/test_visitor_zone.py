"""The visitor's zone on the booking pages: read from one helper, never pinned into links unless
chosen, a searchable list of current names, and the messages about a chosen time."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.forms import slot_id
from bookings.links import manage_token
from bookings.models import Booking
from coaching.zones import current_names, parse_zone
from tests.bookings.factories import BookingFactory
from tests.bookings.test_public_views import TOMORROW_10, form_data, form_url

pytestmark = pytest.mark.usefixtures("frozen")
HREFS = re.compile(r'(?:href|action)="([^"]*)"')


def book_url(session_type):
    return reverse("bookings:book", args=[session_type.slug])


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),  # what Chromium reports for India
        ("US/Pacific", "America/Los_Angeles"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Etc/UTC", "UTC"),
        ("Etc/GMT-3", "Etc/GMT-3"),  # no current name: shown as reported
        ("los angeles", "America/Los_Angeles"),  # typed in the search
        ("Tokyo", "Asia/Tokyo"),
    ],
)
def test_a_zone_is_read_under_its_current_name(name, shown):
    assert parse_zone(name).key == shown


@pytest.mark.parametrize(
    "name", ["", "Mars/Olympus", "A" * 300, "Europe/" + "x" * 300, "\x00", "../../etc/passwd"]
)
def test_anything_else_is_no_zone(name):
    assert parse_zone(name) is None


def test_the_list_holds_current_names_only():
    names = current_names()
    assert {"UTC", "Asia/Kolkata", "America/Los_Angeles", "Europe/Kyiv"} <= set(names)
    assert not {"Asia/Calcutta", "US/Pacific", "Europe/Kiev", "GB", "Etc/UTC"} & set(names)
    assert 400 < len(names) < 450  # not the 600 names with every alias


def test_the_zone_list_shows_each_zone_with_its_local_time(client, session_type):
    page = client.get(book_url(session_type), HTTP_COOKIE="tz=America%2FNew_York").text
    # 08:00 UTC (the frozen clock) is 13:30 in Kolkata and 03:00 in New York.
    assert '<option value="Asia/Kolkata">Kolkata, Asia · 13:30</option>' in page
    assert '<option value="America/New_York">New York, America · 03:00</option>' in page


def test_a_first_visit_says_it_guessed_and_pins_no_zone_in_links(client, session_type):
    page = client.get(book_url(session_type), {"day": "2026-01-06"}).text
    assert 'data-guessed="Europe/London"' in page  # zone.js reloads it in the browser's zone
    links = HREFS.findall(page)
    assert any("start=" in link for link in links)
    assert [link for link in links if "tz=" in link] == []


def test_a_reported_zone_is_used_and_not_pinned_either(client, session_type):
    client.cookies["tz"] = "Asia%2FCalcutta"
    page = client.get(book_url(session_type), {"day": "2026-01-06"}).text
    assert "data-guessed" not in page
    assert 'value="Asia/Kolkata"' in page and ">15:30</time></a>" in page
    assert [link for link in HREFS.findall(page) if "tz=" in link] == []


def test_a_zone_chosen_on_the_page_travels_in_its_links(client, session_type):
    page = client.get(book_url(session_type), {"day": "2026-01-06", "tz": "Asia/Tokyo"}).text
    links = [link for link in HREFS.findall(page) if "start=" in link or "day=" in link]
    assert links and all("tz=Asia%2FTokyo" in link for link in links)


def test_a_zone_that_is_not_found_is_said_so(client, session_type):
    page = client.get(book_url(session_type), {"tz": "Atlantis"}).text
    assert "We found no time zone called “Atlantis”" in page
    assert 'aria-invalid="true"' in page


def test_the_manage_page_shows_the_booking_in_the_visitor_zone(client, session_type):
    booking = BookingFactory(session_type=session_type, start=TOMORROW_10, time_zone="")
    client.cookies["tz"] = "America%2FLos_Angeles"
    page = client.get(reverse("bookings:manage", args=[manage_token(booking)])).text
    assert "02:00–03:00 PST (America/Los_Angeles)" in page


def test_a_garbage_start_posted_says_to_choose_a_time(client, session_type):
    response = client.post(form_url(session_type), {**form_data(), "start": "garbage"})
    assert response.status_code == 400
    assert "Please choose a time from the calendar." in response.text
    assert "No time is chosen yet." in response.text
    assert 'value="Ada Lovelace"' in response.text  # nothing typed is lost
    assert not Booking.objects.exists()


def test_a_past_time_posted_says_it_has_passed(client, session_type):
    response = client.post(form_url(session_type), form_data(start=TOMORROW_10 - timedelta(days=2)))
    assert response.status_code == 409
    assert "Sorry, that time has passed." in response.text
    assert "just taken" not in response.text
    assert "The nearest free times" in response.text


def test_a_past_time_opened_says_it_has_passed(client, session_type):
    past = slot_id(datetime(2026, 1, 4, 10, tzinfo=UTC))
    response = client.get(form_url(session_type), {"start": past})
    assert "Sorry, this time has passed." in response.text


def test_moving_to_a_past_time_says_it_has_passed(client, session_type):
    booking = BookingFactory(session_type=session_type, start=TOMORROW_10)
    url = reverse("bookings:move", args=[manage_token(booking)])
    response = client.post(url, {"start": slot_id(datetime(2026, 1, 4, 10, tzinfo=UTC))})
    assert response.status_code == 409
    assert "Sorry, that time has passed." in response.text
