"""The coach watches a campaign go out: the progress bar follows without a reload."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from content.newsletter.models import Delivery
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen
from tests.factories import CoachFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server):
    browserless = Client()
    browserless.force_login(CoachFactory())
    cookie = browserless.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_the_campaign_page_shows_live_progress(phone_page, live_server):
    topic = ensure_topics()["news"]
    subscribers = bulk_subscribers(10, topic)
    campaign = CampaignFactory(topics=[topic], state="sending")
    Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s, email=s.email, batch=0, due_at=timezone.now())
        for s in subscribers
    )
    signed_in(phone_page, live_server)
    phone_page.goto(f"/coach/newsletter/campaigns/{campaign.pk}/")
    assert phone_page.locator("label[for='progress-bar']").inner_text() == "0% done"
    assert serious_violations(phone_page) == []

    Delivery.objects.filter(pk__in=[d.pk for d in campaign.deliveries.all()[:5]]).update(
        state="sent"
    )
    phone_page.get_by_text("50% done").wait_for(timeout=10_000)
    assert phone_page.locator("[data-progress='remaining']").inner_text() == "5"


def test_the_subscribers_page_has_no_serious_accessibility_violations(phone_page, live_server):
    bulk_subscribers(3, ensure_topics()["news"])
    signed_in(phone_page, live_server)
    phone_page.goto("/coach/newsletter/subscribers/")
    assert serious_violations(phone_page) == []


def test_the_campaign_page_shows_its_figures_as_a_table_and_a_chart(page, live_server):
    """Issue 16, item 5: a fresh browser, phone and desktop: table, chart, fits, passes axe."""
    subscribers = bulk_subscribers(4, ensure_topics()["news"])
    campaign = CampaignFactory(subject="Spring letter", state="sent")
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s, email=s.email, batch=0, due_at=now,
                 state="sent", sent_at=now, bounced_at=now if n == 0 else None)
        for n, s in enumerate(subscribers)
    )  # fmt: skip
    signed_in(page, live_server)
    page.goto(f"/coach/newsletter/campaigns/{campaign.pk}/")
    chart = page.get_by_role("img", name="Figures for “Spring letter”")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= page.viewport_size["width"]
    table = page.locator("table.figures-table")
    expect(table.get_by_role("row", name="Delivered 4")).to_be_visible()
    expect(table.get_by_role("row", name="Bounced 1")).to_be_visible()
    assert fits_the_screen(page)
    assert serious_violations(page) == []
