"""Issue 17 item 5: a client writes to the coach from her portal; the coach sees the unread
count, reads and replies; the client sees the reply. Fresh browsers, the client in New York."""

import pytest
from django.core import mail

from clients.messaging.models import Message
from tests.clients.test_portal import login_code
from tests.conftest import DESKTOP, PHONE, wait_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, give_authenticator, html, sign_in_with_code
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def two_browsers(request, browser, live_server):
    """The client's browser in New York and the coach's, both fresh, at the same size."""
    contexts = [
        browser.new_context(base_url=live_server.url, timezone_id=zone, **request.param)
        for zone in ("America/New_York", "Europe/London")
    ]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(15_000)
    yield pages
    for context in contexts:
        context.close()


def client_signs_in(page, email: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Your email").fill(email)
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url("**/login/code/confirm/**")
    message = wait_for(lambda: [m for m in mail.outbox if email in m.to])[-1]
    page.get_by_label("Code").first.fill(login_code(message.body))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/")


def test_a_client_writes_the_coach_reads_and_replies(two_browsers):
    client_page, coach_page = two_browsers
    PersonFactory(name="Ana Lopez", email="ana@example.org")
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    client_signs_in(client_page, "ana@example.org")
    client_page.get_by_role("link", name="Private: you and Maya").click()
    client_page.get_by_label("Your message").fill("Could we talk about money on Thursday?")
    client_page.get_by_role("button", name="Send").click()
    client_page.get_by_text("Message sent.").wait_for()
    assert "Could we talk about money" in client_page.locator(".message-list").inner_text()
    assert fits_the_screen(client_page) and serious_violations(client_page) == []
    notice = wait_for(lambda: [m for m in mail.outbox if m.subject.startswith("A new message")])
    assert "money" not in notice[0].body

    sign_in_with_code(coach_page, coach, secret)
    messages = coach_page.get_by_role("region", name="Messages")
    assert "1 unread" in messages.inner_text()
    messages.get_by_role("link", name="Open messages").click()
    thread = coach_page.get_by_role("link", name="Ana Lopez: Private thread with Ana Lopez")
    thread.wait_for()  # the inbox has loaded
    assert "Could we talk" not in html(coach_page)  # the inbox lists, never shows text
    assert serious_violations(coach_page) == []
    thread.click()
    assert "Could we talk about money" in coach_page.locator(".message-list").inner_text()
    coach_page.get_by_label("Your message").fill("Yes, let us start with that.")
    coach_page.get_by_role("button", name="Send reply").click()
    coach_page.get_by_text("Reply sent.").wait_for()
    assert fits_the_screen(coach_page) and serious_violations(coach_page) == []
    assert Message.objects.filter(sender=None).count() == 1

    client_page.goto("/account/")
    portal_messages = client_page.get_by_role("region", name="Messages with Maya")
    assert "New message" in portal_messages.inner_text()
    client_page.get_by_role("link", name="Private: you and Maya").click()
    assert "Yes, let us start with that." in client_page.locator(".message-list").inner_text()
    client_page.goto("/account/")
    assert "New message" not in html(client_page)
