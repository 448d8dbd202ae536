"""Booking the free call in Chromium on a phone: choose a day and a time in her own zone,
book, read the confirmation and its .ics, then cancel through the email's manage link."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from bookings.models import Booking
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.conftest import PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import html

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_yorker(browser, live_server):
    """A phone whose clock is in New York: the site should show times in her zone."""
    context = browser.new_context(base_url=live_server.url, timezone_id="America/New_York", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_visitor_books_the_free_call_and_cancels_it_by_the_emailed_link(new_yorker):
    page = new_yorker
    free_call = FreeCallFactory(min_notice_minutes=180, cutoff_hours=2)
    open_every_day(free_call.calendar)

    page.goto("/book/")
    page.get_by_role("link", name="Choose a time for Free call").click()
    assert page.locator("#tz").input_value() == "America/New_York"
    assert serious_violations(page) == []
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()

    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("What would you like to talk about? (optional)").fill("Balance")
    page.get_by_label("I agree to be contacted about this booking.").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Book this time").click()

    assert page.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    assert "What happens next" in html(page)
    assert "(America/New_York)" in html(page)
    assert serious_violations(page) == []
    booking = Booking.objects.get()
    assert booking.time_zone == "America/New_York"

    confirmation = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    filename, content, mimetype = confirmation.attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert (filename, event["DTSTART"].dt, int(event["SEQUENCE"])) == (
        "invite.ics",
        booking.start,
        0,
    )

    manage_url = re.search(r"https?://\S+/book/manage/\S+/", confirmation.body).group(0)
    page.goto(urlsplit(manage_url).path)
    assert Booking.objects.get().status == "confirmed"  # opening the link changed nothing
    assert serious_violations(page) == []
    page.get_by_role("link", name="Cancel this booking").click()
    assert Booking.objects.get().status == "confirmed"  # asking first changed nothing
    page.get_by_role("button", name="Yes, cancel it").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your booking is cancelled"
    assert Booking.objects.get().status == "cancelled"
    cancellation = next(m for m in mail.outbox if m.subject.startswith("Cancelled"))
    assert "METHOD:CANCEL" in cancellation.attachments[0][1]


def test_the_coach_runs_her_week_on_a_phone(phone_page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from tests.bookings.factories import BookingFactory
    from tests.factories import CoachFactory

    coach = CoachFactory(email="maya@example.org")
    free_call = FreeCallFactory()
    booking = BookingFactory(session_type=free_call, start=timezone.now() + timedelta(days=1))
    phone_page.goto("/accounts/login/")
    phone_page.get_by_label("Email").fill(coach.email)
    phone_page.get_by_label("Password").fill("correct horse battery")
    phone_page.get_by_role("button", name="Sign In").click()
    phone_page.wait_for_url("**/coach/")
    phone_page.goto(f"/coach/bookings/week/?start={booking.start.date().isoformat()}")
    assert serious_violations(phone_page) == []
    phone_page.get_by_role("link", name=re.compile(booking.name)).click()
    assert (
        phone_page.get_by_role("heading", level=1).inner_text() == f"Free call with {booking.name}"
    )
    assert serious_violations(phone_page) == []
    phone_page.get_by_label(f"Message to {booking.name} (optional)").fill("Unwell, sorry.")
    phone_page.get_by_role("button", name="Cancel the booking").click()
    expect(phone_page.locator("body")).to_contain_text("the client has been told")
    assert Booking.objects.get().status == "cancelled"
