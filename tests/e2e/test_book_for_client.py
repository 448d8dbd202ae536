"""The coach books a four-week series for a client from the client's page, in Chromium, on a
phone and a desktop: a busy evening in her own calendar asks for her confirmation first."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking, BusyCalendar, BusyTime
from coaching.models import OutboundEmail
from tests.bookings.factories import SessionTypeFactory
from tests.conftest import DESKTOP, PHONE
from tests.e2e.helpers import fits_the_screen, html, signed_in_as
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_coach_books_a_four_week_series_from_the_client_page(browser, live_server, size):
    session_type = SessionTypeFactory(name="Coaching session", min_notice_minutes=48 * 60)
    person = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    first = timezone.now().astimezone(LONDON).date() + timedelta(days=1)  # inside the notice
    second = datetime.combine(first + timedelta(weeks=1), time(18), LONDON)
    feed = BusyCalendar.objects.create(
        calendar=session_type.calendar, name="Family", url="https://example.org/f.ics"
    )
    BusyTime.objects.create(feed=feed, start=second, end=second + timedelta(hours=2))

    context = browser.new_context(base_url=live_server.url, **size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    signed_in_as(page, CoachFactory(), live_server.url)
    page.goto(f"/coach/clients/{person.client_id}/")
    card = page.get_by_role("region", name="Sessions")
    card.get_by_label("Session type").select_option(label="Coaching session")
    card.get_by_label("Date").fill(first.isoformat())
    card.get_by_label("Time").fill("18:00")
    card.get_by_label("Repeat").select_option(label="Every week")
    card.get_by_label("Number of sessions").fill("4")
    card.get_by_role("button", name="Book").click()

    # The busy evening: nothing booked yet, everything typed still there, a box to confirm.
    confirm = page.get_by_label("Book over my busy time on these dates")
    confirm.wait_for()
    assert "Your calendar shows you busy at" in html(page)
    assert page.get_by_label("Date:", exact=True).input_value() == first.isoformat()
    assert page.get_by_label("Number of sessions").input_value() == "4"
    assert not Booking.objects.exists()
    assert fits_the_screen(page)
    confirm.check()
    confirm.press("Enter")  # the keyboard submits

    page.wait_for_url(f"**/coach/clients/{person.client_id}/")
    assert "Booked 4 sessions" in html(page)
    sessions = page.get_by_role("region", name="Sessions").get_by_role("listitem")
    expect(sessions).to_have_count(4)
    assert "18:00–19:00" in sessions.nth(3).inner_text()
    assert fits_the_screen(page)
    page.screenshot(path=f"/tmp/book-for-client-{size['viewport']['width']}.png", full_page=True)
    assert Booking.objects.filter(client=person.client, status="confirmed").count() == 4
    assert OutboundEmail.objects.filter(to="ada@example.org").count() == 1
    context.close()
