"""Bounce and complaint webhooks through django-anymail (C-07) and the complaint monitor (C-10);
the ids are rows of docs/reliability.md.

The provider is the outside world: the tests post Postmark's documented webhook payloads.
"""

import base64
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content.newsletter.models import Campaign, Delivery, Subscriber, Suppression
from tests.newsletter.factories import CampaignFactory, SubscriberFactory, bulk_subscribers

pytestmark = pytest.mark.django_db
URL = reverse("newsletter:webhook", args=["postmark"])


@pytest.fixture
def postmark(settings):
    settings.NEWSLETTER_ESP = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


SECRET = "hook:s3cret"


def post_event(client, payload, secret=SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(
        URL, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth
    )


def bounce(email, kind="HardBounce"):
    return {
        "RecordType": "Bounce", "ID": 42, "Type": kind, "TypeCode": 1, "Email": email,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "Description": "Unknown user",
        "BouncedAt": "2026-11-05T16:33:54Z", "Tag": "", "Metadata": {},
    }  # fmt: skip


def complaint(email):
    return {**bounce(email, "SpamComplaint"), "RecordType": "SpamComplaint"}


def delivered(email):
    return {"RecordType": "Delivery", "Recipient": email, "DeliveredAt": "2026-11-05T16:33:54Z",
            "MessageID": "883953f4-6105-42a2", "Tag": "", "Metadata": {}}  # fmt: skip


def test_a_hard_bounce_suppresses_after_one(client, topics, postmark):
    subscriber = SubscriberFactory()
    assert post_event(client, bounce(subscriber.email)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert Suppression.objects.filter(email_hash=subscriber.email_hash, reason="bounced").exists()


def test_soft_bounces_suppress_after_three_in_a_row(client, topics, postmark):
    subscriber = SubscriberFactory()
    post_event(client, bounce(subscriber.email, "SoftBounce"))
    post_event(client, bounce(subscriber.email, "SoftBounce"))
    post_event(client, delivered(subscriber.email))  # a delivery breaks the run
    post_event(client, bounce(subscriber.email, "SoftBounce"))
    post_event(client, bounce(subscriber.email, "SoftBounce"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.soft_bounces == 2
    post_event(client, bounce(subscriber.email, "SoftBounce"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED


def test_a_complaint_suppresses_at_once(client, topics, postmark):
    subscriber = SubscriberFactory()
    post_event(client, complaint(subscriber.email))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.COMPLAINED


def test_a_wrong_secret_is_refused_and_changes_nothing(client, topics, postmark):
    subscriber = SubscriberFactory()
    assert post_event(client, bounce(subscriber.email), secret="hook:wrong").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_without_a_configured_provider_the_endpoint_is_404(client, topics, settings):
    settings.NEWSLETTER_ESP = ""
    assert post_event(client, bounce("a@example.org")).status_code == 404


def sent_campaign(topics, count=1000):
    subscribers = bulk_subscribers(count, topics["news"])
    campaign = CampaignFactory(state=Campaign.State.SENDING)
    Delivery.objects.bulk_create(
        Delivery(campaign=campaign, subscriber=s, email=s.email, batch=0, state="sent",
                 due_at=timezone.now(), sent_at=timezone.now())
        for s in subscribers
    )  # fmt: skip
    return campaign, subscribers


def test_complaint_rate_alerts_at_0_1_and_pauses_at_0_3_percent(
    client, topics, postmark, django_capture_on_commit_callbacks
):
    """C-10: 1 in 1,000 alerts the coach (once); 3 in 1,000 pause the campaign."""
    campaign, subscribers = sent_campaign(topics)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, complaint(subscribers[0].email))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING and campaign.complaint_alerted_at
    assert [m.subject for m in mail.outbox] == [f"Spam complaints on “{campaign.subject}”"]
    post_event(client, complaint(subscribers[1].email))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING and len(mail.outbox) == 1  # alerted once
    post_event(client, complaint(subscribers[2].email))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.PAUSED and "spam" in campaign.pause_reason
    assert Delivery.objects.filter(complained_at__isnull=False).count() == 3


def test_later_campaigns_never_reach_suppressed_addresses(
    client, topics, postmark, django_capture_on_commit_callbacks, unlimited_rate
):
    from content.newsletter.campaigns import campaign_start

    hard, soft, spam, fine = SubscriberFactory.create_batch(4)
    post_event(client, bounce(hard.email))
    for _ in range(3):
        post_event(client, bounce(soft.email, "SoftBounce"))
    post_event(client, complaint(spam.email))
    with django_capture_on_commit_callbacks(execute=True):
        campaign_start(campaign=CampaignFactory())
    assert [m.to[0] for m in mail.outbox] == [fine.email]
