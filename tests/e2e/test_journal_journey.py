"""Issue 17 item 4: a client keeps a journal in her portal and shares one entry; the coach sees
that one, never the private one. Fresh browsers, the client in New York."""

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, give_authenticator, html, sign_in_with_code
from tests.e2e.test_messages_journey import client_signs_in, two_browsers  # noqa: F401
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


def test_a_client_keeps_a_journal_and_the_coach_reads_only_what_she_shares(two_browsers):  # noqa: F811
    client_page, coach_page = two_browsers
    person = PersonFactory(name="Ana Lopez", email="ana@example.org")
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    client_signs_in(client_page, "ana@example.org")
    client_page.get_by_role("link", name="Open your journal").click()
    client_page.get_by_label("Your entry").fill("Only for me: I was angry about the budget.")
    client_page.get_by_role("button", name="Save entry").click()
    client_page.get_by_text("Entry saved.").wait_for()
    client_page.get_by_label("Your entry").fill("For Maya: we decided the budget together.")
    client_page.get_by_label("Share this entry with my coach").check()
    client_page.get_by_role("button", name="Save entry").click()
    client_page.get_by_text("Entry saved.").wait_for()
    entries = client_page.get_by_role("region", name="Your entries")
    assert "budget" not in entries.inner_text()  # a list shows dates only
    expect(entries.get_by_text("Shared with Maya")).to_have_count(1)
    assert fits_the_screen(client_page) and serious_violations(client_page) == []

    sign_in_with_code(coach_page, coach, secret)
    coach_page.goto(f"/coach/clients/{person.client_id}/")
    card = coach_page.get_by_role("region", name="Shared journal entries")
    card.get_by_role("link", name="Ana Lopez").click()
    body = coach_page.locator(".journal-body").inner_text()
    assert "we decided the budget together" in body and "angry" not in html(coach_page)
    assert fits_the_screen(coach_page) and serious_violations(coach_page) == []
