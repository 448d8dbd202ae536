"""The coach adds a day off over a confirmed session: she is warned, with the way to move or
cancel it, and her week shows the day off (a time grid on a desktop, a list on a phone).

The browser is in New York; the coach's calendar is in London, where the page's times are."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import AvailabilityException, Booking, WeeklyHours
from tests.bookings.factories import BookingFactory, SessionTypeFactory
from tests.conftest import DESKTOP, PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, fresh_page, signed_in_as
from tests.factories import CoachFactory

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def new_york_page(request, browser, live_server):
    zone = "America/New_York"
    with fresh_page(browser, live_server.url, request.param, timezone_id=zone) as page:
        page.base = live_server.url
        yield page


def next_wednesday() -> date:
    today = timezone.now().astimezone(LONDON).date()
    return today + timedelta(days=7 - today.weekday() + 2)


def test_a_day_off_over_a_booked_session_warns_and_shows_on_the_week(new_york_page):
    page = new_york_page
    session_type = SessionTypeFactory(name="Couples session")
    for weekday in range(5):
        WeeklyHours.objects.create(
            calendar=session_type.calendar, weekday=weekday, start=time(9), end=time(17)
        )
    wednesday = next_wednesday()
    start = datetime.combine(wednesday, time(10), LONDON)
    booking = BookingFactory(session_type=session_type, start=start, name="Ana Lopez")
    signed_in_as(page, CoachFactory(), page.base)

    page.goto("/coach/bookings/hours/")
    page.get_by_label("Date").fill(wednesday.isoformat())
    page.get_by_label("Kind").select_option(label="Time off")
    page.get_by_role("button", name="Add", exact=True).click()

    page.get_by_text("Added, but 1 booked session falls in it").wait_for()
    assert AvailabilityException.objects.filter(date=wednesday, kind="off", start=None).exists()
    clashes = page.get_by_role("region", name="Sessions booked in your time off")
    assert "10:00–11:00 Couples session with Ana Lopez" in clashes.inner_text()
    assert serious_violations(page) == []
    move = clashes.get_by_role("link", name="Move Ana Lopez's session")
    assert move.get_attribute("href") == f"/coach/bookings/{booking.pk}/move/"
    cancel = clashes.get_by_role("link", name="Cancel Ana Lopez's session")
    assert cancel.get_attribute("href") == f"/coach/bookings/{booking.pk}/#actions-title"

    page.goto(f"/coach/bookings/week/?start={wednesday.isoformat()}")
    day = page.get_by_role("region", name=wednesday.strftime("%a %-d"))
    assert "Day off" in day.inner_text()
    session = day.get_by_role("link", name="Ana Lopez")
    assert "10:00–11:00" in session.inner_text() and "In your time off" in session.inner_text()
    saturday = page.get_by_role("region", name=(wednesday + timedelta(days=3)).strftime("%a %-d"))
    assert "Not working" in saturday.inner_text()
    assert serious_violations(page) == []
    assert fits_the_screen(page)

    box, heading = session.bounding_box(), day.get_by_role("heading").bounding_box()
    thursday = page.get_by_role("region", name=(wednesday + timedelta(days=1)).strftime("%a %-d"))
    if page.viewport_size["width"] >= 800:  # a column a day, the session at 10:00's row
        ten = page.locator(".week-hour", has_text="10:00").bounding_box()
        eleven = page.locator(".week-hour", has_text="11:00").bounding_box()
        assert abs(box["y"] - ten["y"]) < 3 and abs(box["y"] + box["height"] - eleven["y"]) < 4
        assert heading["x"] <= box["x"] < heading["x"] + heading["width"]
        assert thursday.bounding_box()["x"] > box["x"] + box["width"] - 4
    else:  # a readable list: one day under the other
        expect(page.locator(".week-hour").first).not_to_be_visible()
        assert heading["y"] < box["y"] < thursday.bounding_box()["y"]
        assert box["width"] > page.viewport_size["width"] * 0.7


@pytest.mark.parametrize(
    ("button", "said", "status"),
    [
        ("Approve", "Approved; the client has their confirmation.", Booking.Status.CONFIRMED),
        ("Decline", "Declined; the client has been told.", Booking.Status.DECLINED),
    ],
)
def test_the_coach_answers_a_booking_request_from_its_page(new_york_page, button, said, status):
    page = new_york_page
    session_type = SessionTypeFactory(name="Couples session", needs_approval=True)
    start = datetime.combine(next_wednesday(), time(10), LONDON)
    booking = BookingFactory(
        session_type=session_type,
        start=start,
        name="Ana Lopez",
        email="ana.lopez-fernandez.1987@example.org",  # long enough to overflow a phone's line
        status=Booking.Status.PENDING,
    )
    signed_in_as(page, CoachFactory(), page.base)
    page.goto(f"/coach/bookings/{booking.pk}/")
    assert fits_the_screen(page)

    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_text(said).wait_for()
    assert page.url == f"{page.base}/coach/bookings/{booking.pk}/"
    booking.refresh_from_db()
    assert booking.status == status
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    assert serious_violations(page) == []
    assert fits_the_screen(page)
