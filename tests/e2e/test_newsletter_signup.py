"""A visitor joins the newsletter from the home page, confirms, chooses topics, and leaves."""

import pytest
from django.core import mail

from content.newsletter.models import Subscriber
from tests.e2e.accessibility import serious_violations
from tests.newsletter.conftest import ensure_topics, link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_joins_from_the_home_page_confirms_and_leaves(phone_page, live_server):
    ensure_topics()
    page = phone_page
    page.goto("/")
    section = page.get_by_role("region", name="Join the newsletter")  # home's one sign-up form
    section.get_by_label("E-mail address").fill("ines@example.org")
    section.get_by_label("First name (optional)").fill("Inès")
    section.get_by_role("button", name="Join the newsletter").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"

    confirm = link_in(mail.outbox[-1].body, "/newsletter/confirm/")
    page.goto(confirm.replace("https://coach.example.com", live_server.url))
    assert Subscriber.objects.get().status == "pending"  # opening the link is not enough
    assert serious_violations(page) == []
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.get_by_role("heading", name="You are in").wait_for()
    assert Subscriber.objects.get().status == "active"

    page.get_by_role("link", name="Choose your topics").click()
    page.get_by_role("checkbox", name="News", exact=True).uncheck()
    page.get_by_role("button", name="Save my preferences").click()
    page.get_by_text("Your preferences are saved.").wait_for()
    assert serious_violations(page) == []
    assert "news" not in Subscriber.objects.get().topics.values_list("slug", flat=True)

    page.get_by_role("button", name="Leave the newsletter").click()
    page.get_by_role("heading", name="You have left the newsletter").wait_for()
    assert Subscriber.objects.get().status == "unsubscribed"


def test_the_newsletter_page_has_no_serious_accessibility_violations(phone_page):
    ensure_topics()
    phone_page.goto("/newsletter/")
    assert serious_violations(phone_page) == []
