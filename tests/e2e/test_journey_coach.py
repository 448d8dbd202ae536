"""The coach's day, across the apps, against the live server: she signs in with her second
factor, finds the client from her dashboard, writes a note about the session they just had, and
marks that booking attended from the client's timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from clients.models import Client, Note
from tests.bookings.factories import BookingFactory, FreeCallFactory
from tests.e2e.helpers import give_authenticator, sign_in_with_code
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


def test_the_coach_signs_in_writes_a_note_and_marks_the_session_attended(page):
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)
    priya = PersonFactory(name="Priya Shah", email="priya@example.org")
    booking = BookingFactory(
        session_type=FreeCallFactory(),
        start=timezone.now() - timedelta(hours=1),
        name="Priya Shah",
        email=priya.email,
        client=priya.client,
    )

    sign_in_with_code(page, coach, secret)
    assert "Good to see you, Maya" in page.locator("main").inner_text()
    page.get_by_label("Name, email or tag").fill("priya")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Priya Shah").click()

    page.get_by_label("Note:", exact=True).fill("Free call: money talks first. Next: a package?")
    page.get_by_label("Session:").select_option(str(booking.pk))
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    assert Note.objects.get().booking_ref == booking.pk

    page.locator(".timeline").get_by_role("link", name="Free call (confirmed)").click()
    page.get_by_role("button", name="Mark attended").click()
    page.get_by_text("Marked as attended.").wait_for()
    assert Booking.objects.get().status == Booking.Status.ATTENDED
    assert Client.objects.get().stage == Client.Stage.FREE_CALL_DONE
