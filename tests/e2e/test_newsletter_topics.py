"""The coach adds a topic twice by mistake, retires one, and publishes an issue to the archive."""

import pytest

from content.newsletter.models import Campaign, Topic
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, signed_in_as
from tests.factories import CoachFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/campaigns"


def test_a_second_topic_of_the_same_name_is_refused_with_the_text_kept(page):
    signed_in_as(page, CoachFactory(), page.base)
    page.goto("/coach/newsletter/topics/")
    page.get_by_label("Name").fill("Workshops")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Topic “Workshops” added.").wait_for()
    page.get_by_label("Name").fill("WORKSHOPS")
    page.get_by_label("Description").fill("Twice a year")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("There is already a topic with this name").wait_for()
    assert page.get_by_label("Description").input_value() == "Twice a year"
    assert fits_the_screen(page) and serious_violations(page) == []
    page.screenshot(path=f"{SHOTS}/topics-{page.viewport_size['width']}.png", full_page=True)
    assert Topic.objects.filter(name__iexact="workshops").count() == 1

    page.get_by_role("link", name="Workshops").click()
    page.get_by_role("button", name="Retire (no longer offered)").click()
    page.get_by_text("Topic retired: no longer offered.").wait_for()
    assert Topic.objects.get(name="Workshops").retired_at is not None


def test_the_coach_publishes_a_sent_issue_to_the_archive(page):
    campaign = CampaignFactory(subject="Spring letter", state="sent", slug="spring")
    campaign.topics.set([ensure_topics()["news"]])
    signed_in_as(page, CoachFactory(), page.base)
    page.goto(campaign.get_absolute_url())
    page.get_by_role("button", name="Publish in the archive").click()
    page.get_by_text("Published in the archive.").wait_for()
    assert fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/published-{page.viewport_size['width']}.png", full_page=True)
    page.get_by_role("link", name="See it in the archive").click()
    page.get_by_role("heading", name="Spring letter").wait_for()
    assert Campaign.objects.get().published
