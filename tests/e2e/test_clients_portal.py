"""A client signs in with a code sent by email and finds what her coach shared."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import SharedNote
from tests.bookings.factories import BookingFactory, FreeCallFactory
from tests.clients.test_portal import login_code
from tests.conftest import wait_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import signed_in_as
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_client_signs_in_by_code_and_reads_a_note_from_her_coach(phone_page):
    page = phone_page
    person = PersonFactory(name="Ana Lopez", email="ana@example.org")
    SharedNote.objects.create(
        client=person.client,
        title="Sunday check-in",
        body="Twenty minutes, one appreciation each.",
    )
    page.goto("/account/sign-in/")
    page.get_by_label("Your email").fill("ana@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url("**/login/code/confirm/**")
    message = wait_for(lambda: [m for m in mail.outbox if "ana@example.org" in m.to])[-1]
    page.get_by_label("Code").first.fill(login_code(message.body))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/")
    expect(page.get_by_role("heading", name="Hello Ana Lopez")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Sunday check-in").click()
    expect(page.locator("body")).to_contain_text("one appreciation each")


def test_a_cancelled_future_call_is_listed_as_cancelled_not_as_past(phone_page, live_server):
    page = phone_page
    person = PersonFactory(name="Ana Lopez", email="ana@example.org", user=UserFactory())
    free_call = FreeCallFactory()
    now = timezone.now()
    for start, status in [
        (now + timedelta(days=3), "cancelled"),
        (now - timedelta(days=3), "attended"),
    ]:
        BookingFactory(session_type=free_call, start=start, status=status, client=person.client)
    signed_in_as(page, person.user, live_server.url)
    page.goto("/account/")
    sessions = page.get_by_role("region", name="Your sessions")
    past = sessions.locator("h3:text-is('Past sessions') + ul")
    cancelled = sessions.locator("h3:text-is('Cancelled sessions') + ul")
    assert past.inner_text().count("Free call") == 1 and "(attended)" in past.inner_text()
    assert "(cancelled)" in cancelled.inner_text() and "cancelled" not in past.inner_text()
    assert "No upcoming sessions." in sessions.inner_text()
    assert serious_violations(page) == []
