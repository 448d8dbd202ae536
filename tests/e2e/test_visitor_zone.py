"""A visitor's first page is a booking link, a manage link or a move link, in Los Angeles or in
Kolkata: times show in the browser's zone from the first render (no click), in the browser's
12- or 24-hour clock, and no link pins the coach's zone (Europe/London)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bookings.links import manage_token
from bookings.models import Booking
from tests.bookings.factories import BookingFactory, FreeCallFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.accessibility import serious_violations

pytestmark = pytest.mark.e2e

TWELVE_HOUR = re.compile(r"^\d{1,2}:\d\d\s?[AP]M$")
TWENTY_FOUR_HOUR = re.compile(r"^\d\d:\d\d$")


@pytest.fixture
def visitor(browser, live_server):
    """A fresh browser (no cookie, no session) in a zone and a locale of its own."""
    contexts = []

    def open_page(zone: str, locale: str, size: dict = PHONE, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url, timezone_id=zone, locale=locale,
            java_script_enabled=javascript, **size,
        )  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def free_call(db):
    free_call = FreeCallFactory(min_notice_minutes=180, cutoff_hours=2)
    open_every_day(free_call.calendar)
    return free_call


def slot_labels(page, selector="a.slot") -> list[str]:
    page.wait_for_load_state()  # the page a click opened, parsed to its end
    return [label.strip() for label in page.locator(selector).all_inner_texts()]


def pinned_zones(page) -> list[str]:
    """Every zone a link or a form action on the page carries."""
    urls = page.eval_on_selector_all(
        "a[href], form[action]", "els => els.map(e => e.getAttribute('href') || e.action)"
    )
    return [url for url in urls if "tz=" in url]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_booking_link_opened_first_in_los_angeles_shows_los_angeles_in_12_hours(
    visitor, free_call, size
):
    page = visitor("America/Los_Angeles", "en-US", size)
    page.goto(f"/book/{free_call.slug}/")
    assert page.locator("#tz").input_value() == "America/Los_Angeles"
    assert pinned_zones(page) == []
    page.locator("a.day-open").first.click()
    expect(page.locator("#times")).to_contain_text("Times in America/Los_Angeles.")
    labels = slot_labels(page)
    assert labels and all(TWELVE_HOUR.match(label) for label in labels), labels
    assert pinned_zones(page) == []
    assert serious_violations(page) == []

    page.locator("a.slot").first.click()
    chosen = page.locator(".chosen").inner_text()
    assert "(America/Los_Angeles)" in chosen and re.search(r"\d:\d\d\s?[AP]M", chosen), chosen
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("I agree to be contacted about this booking.").check()
    page.get_by_role("button", name="Book this time").click()
    page.wait_for_url("**/book/booked/**")
    assert Booking.objects.get().time_zone == "America/Los_Angeles"


def test_a_booking_link_opened_first_in_kolkata_shows_kolkata_in_24_hours(visitor, free_call):
    """Chromium reports India's zone as Asia/Calcutta; the page names it Asia/Kolkata."""
    page = visitor("Asia/Kolkata", "en-GB")
    page.goto(f"/book/{free_call.slug}/")
    assert page.locator("#tz").input_value() == "Asia/Kolkata"
    page.locator("a.day-open").first.click()
    labels = slot_labels(page)
    # London's whole hours are half past in Kolkata.
    assert labels and all(TWENTY_FOUR_HOUR.match(label) for label in labels), labels
    assert all(label.endswith(":30") for label in labels), labels
    assert pinned_zones(page) == []


def test_the_zone_list_holds_current_names_each_with_its_local_time(visitor, free_call):
    page = visitor("America/Los_Angeles", "en-US")
    page.goto(f"/book/{free_call.slug}/")
    options = page.eval_on_selector_all(
        "#zone-list option", "os => os.map(o => [o.value, o.textContent])"
    )
    names = [name for name, _ in options]
    assert "Asia/Kolkata" in names and "America/Los_Angeles" in names
    assert not {"Asia/Calcutta", "US/Pacific", "Europe/Kiev"} & set(names)
    assert len(names) < 450
    page.locator("#tz").focus()  # the labels' times follow the visitor's clock
    labels = dict(page.eval_on_selector_all(
        "#zone-list option", "os => os.map(o => [o.value, o.textContent])"
    ))  # fmt: skip
    assert re.fullmatch(r"Kolkata, Asia · \d{1,2}:\d\d\s?[AP]M", labels["Asia/Kolkata"])

    page.locator("#tz").fill("Tokyo")
    page.get_by_role("button", name="Change time zone").click()
    assert page.locator("#tz").input_value() == "Asia/Tokyo"
    page.locator("a.day-open").first.click()  # a zone chosen on the page does travel in links
    expect(page.locator("#times")).to_contain_text("Times in Asia/Tokyo.")


def test_a_manage_link_opened_first_shows_the_booking_in_the_browser_zone(visitor, free_call):
    start = (timezone.now() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    booking = BookingFactory(session_type=free_call, start=start, time_zone="Europe/London")
    page = visitor("America/Los_Angeles", "en-US")
    page.goto(reverse("bookings:manage", args=[manage_token(booking)]))
    when = page.locator(".facts dd").nth(1).inner_text()
    assert "(America/Los_Angeles)" in when and re.search(r"\d:\d\d\s?[AP]M", when), when
    page.get_by_role("link", name="Move to another time").click()
    assert page.locator("#tz").input_value() == "America/Los_Angeles"
    assert pinned_zones(page) == []


def test_a_move_link_opened_first_in_kolkata_moves_to_the_time_it_shows(visitor, free_call):
    start = (timezone.now() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    booking = BookingFactory(session_type=free_call, start=start, time_zone="")
    page = visitor("Asia/Kolkata", "en-GB")
    page.goto(reverse("bookings:move", args=[manage_token(booking)]))
    assert page.locator("#tz").input_value() == "Asia/Kolkata"
    assert "(Asia/Kolkata)" in page.locator("p", has_text="Now:").inner_text()
    assert pinned_zones(page) == []
    page.locator("a.day-open").first.click()
    first = page.locator("button.slot").first
    label = first.inner_text().split(",")[0].strip()
    assert TWENTY_FOUR_HOUR.match(label) and label.endswith(":30"), label
    first.click()
    page.get_by_role("button", name="Yes, move it").click()  # the confirmation screen
    page.wait_for_url("**/book/booked/**")
    moved = Booking.objects.get()
    assert moved.start != start
    assert f"{moved.start.astimezone(ZoneInfo('Asia/Kolkata')):%H:%M}" == label


def test_without_javascript_the_zone_is_chosen_by_typing_a_city(visitor, free_call):
    page = visitor("America/Los_Angeles", "en-US", javascript=False)
    page.goto(f"/book/{free_call.slug}/")
    assert page.locator("#tz").input_value() == "Europe/London"  # a guess, said on the page
    page.locator("#tz").fill("los angeles")
    page.get_by_role("button", name="Change time zone").click()
    assert page.locator("#tz").input_value() == "America/Los_Angeles"
    page.locator("a.day-open").first.click()
    labels = slot_labels(page)
    assert labels and all(TWENTY_FOUR_HOUR.match(label) for label in labels), labels
    page.locator("a.slot").first.click()
    assert "(America/Los_Angeles)" in page.locator(".chosen").inner_text()
