"""The coach adds an own calendar in Chromium; once the worker has read it, a busy evening is
no longer offered on the public booking page (seen from Tokyo, on a phone and a desktop)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings import feeds
from bookings.forms import slot_id
from bookings.models import BusyCalendar
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.bookings.feed_server import feed_server
from tests.conftest import DESKTOP, PHONE
from tests.e2e.helpers import fits_the_screen, html, signed_in_as
from tests.factories import CoachFactory

pytestmark = pytest.mark.e2e
LONDON, TOKYO = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")


def fresh_page(browser, live_server, size, zone):
    context = browser.new_context(base_url=live_server.url, timezone_id=zone, **size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def offered(page, session_type, start) -> bool:
    """Whether the public page offers `start`, on the visitor's own day of it."""
    page.goto(f"/book/{session_type.slug}/?day={start.astimezone(TOKYO).date().isoformat()}")
    return page.locator(f'a.slot[href*="start={slot_id(start)}"]').count() == 1


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_busy_evening_in_her_calendar_disappears_from_the_booking_page(
    browser, live_server, size
):
    session_type = SessionTypeFactory(min_notice_minutes=0, step_minutes=60)
    open_every_day(session_type.calendar, start=time(9), end=time(21))
    day = timezone.now().astimezone(LONDON).date() + timedelta(days=3)
    evening = datetime.combine(day, time(19), LONDON)
    noon = datetime.combine(day, time(12), LONDON)

    visitor = fresh_page(browser, live_server, size, "Asia/Tokyo")
    assert offered(visitor, session_type, evening) and offered(visitor, session_type, noon)

    with feed_server() as server:
        server.bodies["family.ics"] = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            "UID:evening@test\r\nSUMMARY:Family dinner\r\n"
            f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T180000\r\n"
            f"DTEND;TZID=Europe/London:{day:%Y%m%d}T210000\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
        coach = fresh_page(browser, live_server, size, "America/New_York")
        signed_in_as(coach, CoachFactory(), live_server.url)
        coach.goto("/coach/bookings/")
        coach.get_by_role("link", name="Your calendars").click()
        coach.get_by_label("Name").fill("Family")
        coach.get_by_label("Private address (ICS)").fill(f"{server.url}/family.ics?key=s3cret")
        coach.get_by_role("button", name="Add calendar").click()
        expect(coach.locator("body")).to_contain_text("Added.")
        assert "s3cret" not in html(coach)
        assert fits_the_screen(coach)

        feeds.busy_calendar_read(feed_id=BusyCalendar.objects.get().pk, now=timezone.now())

    coach.reload()
    assert "Read " in html(coach)
    visitor.context.close()
    visitor = fresh_page(browser, live_server, size, "Asia/Tokyo")
    assert not offered(visitor, session_type, evening)
    assert offered(visitor, session_type, noon)
    assert fits_the_screen(visitor)
    visitor.context.close()
    coach.context.close()
