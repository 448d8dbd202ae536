"""Booking the free call from a fresh browser in Tokyo or Los Angeles, on a phone and a desktop:
the confirmation shows the private video room and offers Google, Outlook and Apple calendars,
each reachable with the keyboard, with the right UTC times and the room as the place."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from bookings.models import Booking
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.helpers import fits_the_screen

pytestmark = pytest.mark.e2e

ROOM = re.compile(r"^https://video\.example\.com/[a-z2-7]{32}$")


@pytest.fixture(
    params=[(PHONE, "Asia/Tokyo"), (DESKTOP, "America/Los_Angeles")], ids=["phone", "desktop"]
)
def visitor(request, browser, live_server):
    """A fresh browser context (no cookie, no session) far from the coach's Europe/London."""
    size, zone = request.param
    context = browser.new_context(
        base_url=live_server.url, timezone_id=zone, accept_downloads=True, **size
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.zone = zone
    yield page
    context.close()


def book_the_free_call(page) -> Booking:
    free_call = FreeCallFactory(min_notice_minutes=180, cutoff_hours=2)
    open_every_day(free_call.calendar)
    page.goto("/book/")
    page.get_by_role("link", name="Choose a time for Free call").click()
    assert page.locator("#tz").input_value() == page.zone
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("I agree to be contacted about this booking.").check()
    page.get_by_role("button", name="Book this time").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    return Booking.objects.select_related("video_room").get()


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text starts with `name`, as a keyboard user."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText || ''").startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def test_the_confirmation_shows_the_room_and_adds_it_to_any_calendar(visitor):
    page = visitor
    booking = book_the_free_call(page)
    room = booking.video_room.join_url
    assert ROOM.match(room)

    join = page.locator("a.join-link")
    assert join.get_attribute("href") == room and room in join.inner_text()
    assert fits_the_screen(page)

    section = page.get_by_role("region", name="Add it to your calendar")
    google = section.get_by_role("link", name=re.compile("^Google Calendar"))
    outlook = section.get_by_role("link", name=re.compile("^Outlook.com"))
    g, o = query(google.get_attribute("href")), query(outlook.get_attribute("href"))
    utc = f"{booking.start:%Y%m%dT%H%M%SZ}/{booking.end:%Y%m%dT%H%M%SZ}"
    assert (g["dates"], g["ctz"], g["location"]) == (utc, page.zone, room)
    assert (o["startdt"], o["enddt"], o["location"]) == (
        f"{booking.start:%Y-%m-%dT%H:%M:%SZ}", f"{booking.end:%Y-%m-%dT%H:%M:%SZ}", room,
    )  # fmt: skip
    for link in (google, outlook):
        assert link.get_attribute("target") == "_blank"
        box = link.bounding_box()
        assert box["height"] >= 24 and box["x"] + box["width"] <= page.viewport_size["width"]

    # By keyboard alone: Tab reaches each, and Enter on Apple's downloads the .ics.
    tab_to(page, "Google Calendar")
    tab_to(page, "Outlook.com")
    tab_to(page, "Apple Calendar")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    event = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")[0]
    assert (str(event["LOCATION"]), str(event["URL"])) == (room, room)
    assert event["DTSTART"].dt == booking.start
