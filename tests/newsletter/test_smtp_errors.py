"""Real SMTP answers: 4xx retried with backoff, 5xx failed, hard bounce suppressed (C-08 of
docs/reliability.md, short)."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.newsletter import campaigns, sending
from content.newsletter.models import Campaign, Delivery, Subscriber, Suppression
from content.newsletter.throttle import Pacer
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]


def run_due_batches(now):
    for campaign_id, batch in sorted(sending.requeue_due(now=now)):
        sending.batch_send(campaign_id=campaign_id, batch=batch)


def test_a_transient_answer_backs_off_then_sends_once(topics, flaky_sink, start_quietly):
    subscribers = SubscriberFactory.create_batch(5)
    campaign = CampaignFactory()
    start_quietly(campaign)
    flaky_sink.defer_next = 1
    sending.batch_send(campaign_id=campaign.pk, batch=0)

    assert len(flaky_sink.messages) == 0
    first = Delivery.objects.order_by("pk").first()
    assert first.state == "pending" and first.attempts == 1 and "451" in first.error
    assert Delivery.objects.filter(due_at__gt=timezone.now()).count() == 5  # all wait
    run_due_batches(timezone.now())  # not due yet: nothing
    assert len(flaky_sink.messages) == 0

    run_due_batches(timezone.now() + timedelta(minutes=2))
    assert sorted(m["To"] for m in flaky_sink.messages) == sorted(s.email for s in subscribers)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_provider_outage_mid_campaign_completes_without_loss(
    topics, flaky_sink, start_quietly, settings
):
    """C-08 (short): the server goes away after 10 messages and comes back."""
    settings.NEWSLETTER_BATCH_SIZE = 10
    subscribers = SubscriberFactory.create_batch(30)
    campaign = CampaignFactory()
    start_quietly(campaign)
    sending.batch_send(campaign_id=campaign.pk, batch=0)
    flaky_sink.controller.stop()  # outage
    for batch in (1, 2):
        sending.batch_send(campaign_id=campaign.pk, batch=batch)
    assert Delivery.objects.filter(state="sent").count() == 10
    assert Delivery.objects.filter(state="pending").count() == 20
    flaky_sink.restart()  # recovery, on the same port
    run_due_batches(timezone.now() + timedelta(minutes=2))
    received = [m["To"] for m in flaky_sink.messages]
    assert sorted(received) == sorted(s.email for s in subscribers)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_a_refused_recipient_fails_and_is_suppressed_and_the_batch_goes_on(
    topics, flaky_sink, start_quietly
):
    good, gone, other = SubscriberFactory.create_batch(3)
    flaky_sink.refuse = {gone.email}
    campaign = CampaignFactory()
    start_quietly(campaign)
    sending.batch_send(campaign_id=campaign.pk, batch=0)

    assert sorted(m["To"] for m in flaky_sink.messages) == sorted([good.email, other.email])
    failed = Delivery.objects.get(subscriber=gone)
    assert failed.state == "failed" and failed.error.startswith("550")
    gone.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED
    assert Suppression.objects.filter(email_hash=gone.email_hash, reason="bounced").exists()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_retries_stop_after_the_attempt_budget(topics, flaky_sink, start_quietly, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    SubscriberFactory()
    campaign = CampaignFactory()
    start_quietly(campaign)
    flaky_sink.defer_next = 5
    sending.batch_send(campaign_id=campaign.pk, batch=0)
    run_due_batches(timezone.now() + timedelta(minutes=5))
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and delivery.error.startswith("gave up")
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT  # finished: every row has an outcome


def test_the_send_rate_is_never_exceeded_in_any_one_second_window(settings):
    """C-06 (short): 25 sends at 20/s through the shared Redis pacer, by its granted slots.

    (Slots are what the pacer controls; a process descheduled after its slot only sends later.)
    """
    pacer = Pacer(20)
    started = time.monotonic()
    slots = [pacer.wait() for _ in range(25)]
    for i, start in enumerate(slots):
        assert len([t for t in slots[i:] if t - start < 1.0]) <= 20
    assert time.monotonic() - started >= 1.1


def test_the_daily_quota_is_never_exceeded_and_the_rest_waits(
    topics, settings, django_capture_on_commit_callbacks
):
    """C-06 (short): a quota of 3 per rolling 24 h, 5 recipients: 3 go, 2 wait a day."""
    settings.NEWSLETTER_DAILY_QUOTA = 3
    SubscriberFactory.create_batch(5, topics=[topics["news"]])
    campaign = CampaignFactory(topics=[topics["news"]])
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_start(campaign=campaign)

    assert len(mail.outbox) == 3
    waiting = Delivery.objects.filter(state="pending")
    assert waiting.count() == 2
    assert all(row.due_at > timezone.now() + timedelta(hours=23) for row in waiting)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING  # not finished while rows wait
