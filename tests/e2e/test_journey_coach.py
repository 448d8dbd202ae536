"""The coach's day, across the apps, against the live server and a real Celery worker: she signs
in with her second factor, finds the client from her dashboard, writes a note about the session
they just had, marks that booking attended from the client's timeline, then composes a campaign,
sends herself a test, confirms the number of recipients, sends it, and watches its progress bar
reach 100%."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from clients.models import Client, Note
from content.newsletter.models import Campaign
from tests.bookings.factories import BookingFactory, FreeCallFactory
from tests.conftest import wait_for
from tests.e2e.helpers import (
    fits_the_screen,
    give_authenticator,
    received,
    sign_in_with_code,
    worker_starting,
)
from tests.factories import CoachFactory, PersonFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import bulk_subscribers

pytestmark = pytest.mark.e2e
SUBSCRIBERS = 30


@pytest.fixture
def scene(celery_worker, smtp_sink, settings):
    """Priya's free call an hour ago, 30 subscribers of News, and a worker booting meanwhile.
    The live server sends the coach's test message itself: it goes to the sink as well."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with worker_starting(celery_worker):
        priya = PersonFactory(name="Priya Shah", email="priya@example.org")
        booking = BookingFactory(
            session_type=FreeCallFactory(),
            start=timezone.now() - timedelta(hours=1),
            name="Priya Shah",
            email=priya.email,
            client=priya.client,
        )
        bulk_subscribers(SUBSCRIBERS, ensure_topics()["news"])
        yield booking


def note_and_attended(page, booking):
    """From the dashboard's search to the client, a note about the session, then attended."""
    page.get_by_label("Name, email or tag").fill("priya")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Priya Shah").click()
    page.get_by_label("Note:", exact=True).fill("Free call: money talks first. Next: a package?")
    page.get_by_label("Session:").select_option(str(booking.pk))
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    page.locator(".timeline").get_by_role("link", name="Free call (confirmed)").click()
    page.get_by_role("button", name="Mark attended").click()
    page.get_by_text("Marked as attended.").wait_for()


def compose_test_and_send(page, smtp_sink, coach):
    page.goto("/coach/newsletter/")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Subject").fill("Autumn letter")
    page.get_by_label("Body").fill('Dear {{ first_name|default:"friend" }}, three questions.')
    page.get_by_role("checkbox", name="News", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Send me a test").click()
    page.get_by_text(f"A test is on its way to {coach.email}.").wait_for()
    assert wait_for(lambda: received(smtp_sink, to=coach.email, subject_starts="[Test]"))
    page.get_by_role("link", name="Send now…").click()  # a confirmation with the count first
    page.get_by_role("button", name=f"Send to {SUBSCRIBERS} subscribers now").click()
    page.get_by_text(f"Sending to {SUBSCRIBERS} subscribers.").wait_for()


def test_the_coach_signs_in_notes_the_session_and_sends_a_campaign(page, scene, smtp_sink):
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    sign_in_with_code(page, coach, secret)
    assert "Good to see you, Maya" in page.locator("main").inner_text()
    assert fits_the_screen(page)
    note_and_attended(page, scene)
    assert Note.objects.get().booking_ref == scene.pk
    assert Booking.objects.get().status == Booking.Status.ATTENDED
    assert Client.objects.get().stage == Client.Stage.FREE_CALL_DONE

    compose_test_and_send(page, smtp_sink, coach)
    # The page follows the worker without a reload (newsletter.js polls while it sends).
    page.get_by_text("100% done").wait_for(timeout=60_000)
    assert page.locator("#progress-bar").get_attribute("value") == "100"
    assert fits_the_screen(page)
    assert Campaign.objects.get().state == "sent"
    letters = [m for m in smtp_sink.messages if m["Subject"] == "Autumn letter"]
    assert len({m["To"] for m in letters}) == len(letters) == SUBSCRIBERS
    assert "Dear friend, three questions." in letters[0].get_body(("plain",)).get_content()
