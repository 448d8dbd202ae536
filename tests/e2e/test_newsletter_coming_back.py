"""A subscriber who left reopens the unsubscribe link: it says she has left and takes her back
in with one button; asking twice in ten minutes says why no second email went."""

from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from content.newsletter import services
from content.newsletter.models import ConsentRecord, Subscriber
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen
from tests.newsletter.conftest import ensure_topics

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/newsletter")


def test_a_reopened_unsubscribe_link_takes_her_back_in(page):
    topics = list(ensure_topics().values())
    services.subscriber_request(email="ines@example.org", topics=topics, form_id="footer")
    subscriber = services.subscriber_confirm(
        consent=ConsentRecord.objects.get(), ip=None, user_agent=""
    )
    link = services.unsubscribe_path(subscriber.pk)
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You have left the newsletter").wait_for()
    mail.outbox.clear()

    page.goto(link)  # reopened later, from the same email
    page.get_by_role("heading", name="You have left the newsletter").wait_for()
    expect(page.get_by_role("button", name="Unsubscribe")).to_have_count(0)
    assert serious_violations(page) == [] and fits_the_screen(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = "phone" if page.viewport_size["width"] < 500 else "desktop"
    page.screenshot(path=SHOTS / f"unsubscribe-reopened-{size}.png", full_page=True)

    page.get_by_role("button", name="Sign up again").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    [confirmation] = mail.outbox  # minutes after the first link, yet one goes
    assert confirmation.to == ["ines@example.org"] and "/newsletter/confirm/" in confirmation.body
    assert Subscriber.objects.get().status == "unsubscribed"  # back only once confirmed

    page.go_back()
    page.get_by_role("button", name="Sign up again").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert "one link every ten minutes at most" in page.locator("main").inner_text()
    assert len(mail.outbox) == 1 and serious_violations(page) == []
