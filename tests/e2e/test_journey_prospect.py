"""The prospect's whole path, across the apps, against the live server and a real Celery worker:
home, a post, the assessment, her results, the free call booked from them, the confirmation with
its .ics in her inbox (an SMTP sink), then the reminder when its time comes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from bookings import reminders
from bookings.models import Booking, ReminderDelivery
from clients.intake.models import Response
from content.blog import demo
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.conftest import wait_for
from tests.e2e.helpers import (
    attachment,
    begin_assessment,
    fits_the_screen,
    html_part,
    received,
    text_part,
    worker_starting,
)
from tests.intake.answers import PERSONA_2
from tests.intake.conftest import load_pbi

pytestmark = pytest.mark.e2e
EMAIL = "ada@example.org"


@pytest.fixture
def scene(celery_worker):
    """Blog posts, the assessment's questions, the free call open every day; a worker, which
    boots while she browses (the emails wait in its queue)."""
    with worker_starting(celery_worker):
        demo.seed()
        load_pbi()
        # Three hours' notice: her first time is far enough away for a reminder to be due later.
        open_every_day(FreeCallFactory(min_notice_minutes=180).calendar)
        yield


def answer_the_assessment(page):
    """Consent, the privacy gate, then every page: persona 2's answers where the page asks
    them (the rest skipped, as she may), until her results."""
    begin_assessment(page)
    while "/assessment/q/" in page.url:
        names = page.eval_on_selector_all(
            "fieldset.question input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
        )
        for name in (n for n in names if n in PERSONA_2):
            page.locator(f"input[name='{name}'][value='{PERSONA_2[name]}']").check()
        last = page.get_by_role("button", name="See my results")
        (last if last.count() else page.get_by_role("button", name="Next")).click()
        page.wait_for_load_state()
    page.wait_for_url("**/assessment/results/")


def book_the_first_time(page):
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("I agree to be contacted about this booking.").check()
    page.get_by_role("button", name="Book this time").click()


def test_a_prospect_reads_takes_the_assessment_books_and_is_reminded(page, scene, smtp_sink):
    page.goto("/")
    page.locator("#latest-posts + .post-cards").get_by_role("link").first.click()
    page.wait_for_url("**/blog/*/")  # the post's page, once it has loaded
    page.locator("article h1").wait_for()
    assert fits_the_screen(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessment").click()
    answer_the_assessment(page)
    expect(page.get_by_role("img", name="Your balance profile")).to_be_visible()
    expect(page.get_by_role("heading", name="Where to start: financial")).to_be_visible()
    assert fits_the_screen(page)

    page.get_by_role("link", name="Book the free call").click()
    assert "intake=" in page.url  # the link carries her assessment to the booking
    book_the_first_time(page)
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    assert fits_the_screen(page)
    booking = Booking.objects.get()
    assert booking.intake_public_id == Response.objects.get().public_id

    confirmation = wait_for(
        lambda: received(smtp_sink, to=EMAIL, subject_starts="Confirmed"), timeout=90
    )
    assert "Ada" in text_part(confirmation) and "/book/manage/" in html_part(confirmation)
    event = Calendar.from_ical(attachment(confirmation, "invite.ics")).walk("VEVENT")[0]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (booking.start, booking.end)
    assert event["UID"] and int(event["SEQUENCE"]) == 0

    # Time moves forward in this process only: time-machine sets the clock to one minute after
    # her first due reminder, and the reminder services (the beat sweep's claim, then the
    # delivery decision) run here under that clock. The email they record is delivered, as
    # every email is, by the real worker, to the sink.
    due = booking.reminders.filter(state=ReminderDelivery.State.SCHEDULED).exclude(
        kind=ReminderDelivery.FOLLOW_UP
    )
    reminder = due.order_by("due_at").first()
    with time_machine.travel(reminder.due_at + timedelta(minutes=1), tick=False):
        assert reminders.sweep(now=timezone.now()) == [reminder.pk]
        assert reminders.deliver(reminder.pk, now=timezone.now()) == ReminderDelivery.State.SENT
    message = wait_for(lambda: received(smtp_sink, to=EMAIL, subject_starts="Reminder"))
    assert "/book/manage/" in text_part(message)
    assert [m["Subject"].split(":")[0] for m in smtp_sink.messages if m["To"] == EMAIL] == [
        "Confirmed",
        "Reminder",
    ]
