"""Moving and cancelling by the emailed link in Chromium, from a fresh browser in Los Angeles
(the coach is in London): each asks once more on a screen of its own, showing the old and the new
time for a move, and takes a reason that only the coach reads. The first email's link still
leads to the booking after the move."""

import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bookings.availability import slots_for
from bookings.models import Booking, BookingChange
from bookings.services import booking_create
from tests.bookings.conftest import booker
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, fresh_page, html

pytestmark = pytest.mark.e2e

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def angeleno(request, browser, live_server):
    """A browser that never visited the site, whose clock is in Los Angeles."""
    zone = "America/Los_Angeles"
    with fresh_page(browser, live_server.url, request.param, timezone_id=zone) as page:
        yield page


def local_day(moment) -> str:
    """ "Tuesday 6 January 2026": the day as the pages write it, in Los Angeles."""
    local = moment.astimezone(LOS_ANGELES)
    return f"{local:%A} {local.day} {local:%B %Y}"


def facts(page, term: str) -> str:
    return page.locator(f"dt:text-is('{term}') + dd").inner_text()


@pytest.fixture
def booking(live_server):
    session_type = SessionTypeFactory(price=95, min_notice_minutes=24 * 60, cutoff_hours=12)
    open_every_day(session_type.calendar)
    start = slots_for(session_type, now=timezone.now())[0].start
    return booking_create(
        session_type=session_type, start=start,
        booker=booker(1, name="Ada Lovelace", email="ada@example.org",
                      time_zone="America/Los_Angeles"),
    )  # fmt: skip


def emailed_manage_path(booking) -> str:
    message = next(m for m in mail.outbox if m.to == [booking.email])
    return urlsplit(re.search(r"https?://\S+/book/manage/\S+/", message.body).group(0)).path


def test_a_visitor_moves_then_cancels_each_after_confirming_with_a_reason(angeleno, booking):
    page, original_start = angeleno, booking.start
    first_link = emailed_manage_path(booking)
    page.goto(first_link)
    assert page.get_by_role("heading", level=1).inner_text() == "Your booking"
    assert facts(page, "Price").startswith("£95")

    page.get_by_role("link", name="Move to another time").click()
    page.locator("a.day-open").nth(1).click()  # another day than the booking's
    page.locator("button.slot").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Move your booking?"
    assert local_day(original_start) in facts(page, "From")
    assert "America/Los_Angeles" in facts(page, "From") + facts(page, "To")
    assert Booking.objects.get().start == original_start  # choosing a time moved nothing
    assert serious_violations(page) == [] and fits_the_screen(page)
    page.get_by_label("Would you like to say why? (optional)").fill("A work trip came up.")
    page.get_by_role("button", name="Yes, move it").click()

    assert page.get_by_role("status").inner_text() == (
        "Your booking has moved. A confirmation is on its way by email."
    )
    moved = Booking.objects.get()
    assert local_day(moved.start) != local_day(original_start) and moved.sequence == 1
    assert local_day(moved.start) in facts(page, "When")
    # This browser did not book: the page names nobody.
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked"
    shown = html(page)
    assert "Ada" not in shown and "ada@example.org" not in shown
    expect(page.get_by_role("link", name=re.compile("Google Calendar"))).to_be_visible()

    page.goto(first_link)  # the link in the first email, from before the move
    assert page.get_by_role("heading", level=1).inner_text() == "Your booking"
    assert local_day(moved.start) in facts(page, "When")
    page.get_by_role("link", name="Cancel this booking").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel this booking?"
    assert Booking.objects.get().status == Booking.Status.CONFIRMED  # asking cancelled nothing
    assert serious_violations(page) == [] and fits_the_screen(page)
    page.get_by_label("Would you like to say why? (optional)").fill("Feeling unwell.")
    page.get_by_role("button", name="Yes, cancel it").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Your booking is cancelled"
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    reasons = [(c.kind, c.by_coach, c.reason) for c in BookingChange.objects.order_by("pk")]
    assert reasons == [
        ("moved", False, "A work trip came up."),
        ("cancelled", False, "Feeling unwell."),
    ]
    for message in mail.outbox:  # the reasons are for the coach's pages, in no email
        assert "work trip" not in message.body and "unwell" not in message.body
