"""Per-campaign figures (issue 16, item 5): delivered, bounced, complained and unsubscribed,
counted on the campaign each came from, shown as a table and an inline SVG chart."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.newsletter import services
from content.newsletter.campaigns import campaign_start, campaign_stats
from content.newsletter.models import Campaign, Delivery
from tests.newsletter.factories import CampaignFactory, SubscriberFactory
from tests.newsletter.test_webhooks import bounce, complaint, post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate", "postmark")]

from tests.newsletter.test_webhooks import postmark  # noqa: E402, F401  (the fixture)


def send(capture, subject):
    campaign = CampaignFactory(subject=subject)
    with capture(execute=True):
        campaign_start(campaign=campaign)
    return campaign


def with_metadata(payload, delivery):
    return {**payload, "Metadata": {"delivery": str(delivery.pk)}}


def test_bounce_complaint_and_unsubscribe_count_on_their_own_campaign(
    client, topics, django_capture_on_commit_callbacks
):
    bounced, spam, leaver, fine = SubscriberFactory.create_batch(4)
    first = send(django_capture_on_commit_callbacks, "First letter")
    second = send(django_capture_on_commit_callbacks, "Second letter")  # later: the old fallback
    assert len(mail.outbox) == 8
    assert {m.metadata["delivery"] for m in mail.outbox} == {
        str(pk) for pk in Delivery.objects.values_list("pk", flat=True)
    }

    def delivery(subscriber):
        return first.deliveries.get(subscriber=subscriber)

    assert (
        post_event(client, with_metadata(bounce(bounced.email), delivery(bounced))).status_code
        == 200
    )
    post_event(client, with_metadata(complaint(spam.email), delivery(spam)))
    client.post(services.unsubscribe_path(leaver.pk, first.pk))

    one, two = campaign_stats(first), campaign_stats(second)
    assert (one.sent, one.bounced, one.complained, one.unsubscribed) == (4, 1, 1, 1)
    assert (two.sent, two.bounced, two.complained, two.unsubscribed) == (4, 0, 0, 0)


def test_a_bounce_without_metadata_counts_on_the_latest_campaign(
    client, topics, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory()
    first = send(django_capture_on_commit_callbacks, "First")
    second = send(django_capture_on_commit_callbacks, "Second")
    post_event(client, bounce(subscriber.email))
    assert campaign_stats(second).bounced == 1 and campaign_stats(first).bounced == 0


def test_the_campaign_page_shows_the_table_and_an_accessible_chart(
    coach_client, topics, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(3)
    campaign = send(django_capture_on_commit_callbacks, "Spring letter")
    html = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert re.search(
        r'<svg[^>]*role="img"[^>]*aria-labelledby="figures-svg-title figures-svg-desc"', html
    )
    assert '<title id="figures-svg-title">' in html and "Delivered: 3; Bounced: 0" in html
    assert '<td data-figure="delivered">3</td>' in html
    assert '<td data-figure="spam-complaints">0</td>' in html


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_stay_flat_as_campaigns_and_deliveries_grow(
    coach_client, topics, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(2)
    campaign = send(django_capture_on_commit_callbacks, "One")
    index = reverse("newsletter_coach:index")
    few_index, few_detail = (
        queries(coach_client, index),
        queries(coach_client, campaign.get_absolute_url()),
    )
    SubscriberFactory.create_batch(10)
    for n in range(5):
        send(django_capture_on_commit_callbacks, f"More {n}")
    Campaign.objects.update(state=Campaign.State.SENT)
    campaign.refresh_from_db()
    assert queries(coach_client, index) == few_index
    assert queries(coach_client, campaign.get_absolute_url()) == few_detail


def test_the_campaign_list_shows_each_campaigns_figures(
    client, coach_client, topics, django_capture_on_commit_callbacks
):
    bounced, fine = SubscriberFactory.create_batch(2)
    first = send(django_capture_on_commit_callbacks, "First letter")
    send(django_capture_on_commit_callbacks, "Second letter")
    post_event(
        client, with_metadata(bounce(bounced.email), first.deliveries.get(subscriber=bounced))
    )
    html = coach_client.get(reverse("newsletter_coach:index")).content.decode()
    rows = re.findall(
        r"<tr>\s*<td><a[^>]*>([^<]+)</a>.*?</td>\s*<td>.*?</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>",
        html,
        re.S,
    )
    assert sorted(rows) == [("First letter", "2", "1"), ("Second letter", "2", "0")]
