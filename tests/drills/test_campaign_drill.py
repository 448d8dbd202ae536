"""Drill X-01 (docs/reliability.md) for a campaign (short): Redis restarted without persistence
mid-campaign. The batches waiting in the broker are gone; the campaign sweeper finds their rows in
PostgreSQL and the campaign finishes: every subscriber gets the letter exactly once. (The worker
terminates its running batch when the broker goes; the batch first records a letter the server has
accepted: test_broker_lost_at_the_worst_instant.py lands the restart in that window every time. The
worker killed mid-campaign is tests/newsletter/test_worker_drill.py.)"""

from collections import Counter

import pytest
from django.utils import timezone

from content.newsletter import campaigns, sending
from content.newsletter.models import Campaign, Delivery
from content.newsletter.tasks import send_batch
from tests.conftest import wait_for
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("drills")]


def test_x01_redis_restarted_mid_campaign_it_finishes_nothing_lost_nothing_twice(
    celery_worker, smtp_sink, private_redis
):
    # Paced, so that the restart lands part-way.
    celery_worker.env.update(NEWSLETTER_RATE_PER_SECOND="200", NEWSLETTER_BATCH_SIZE="50")
    topic = ensure_topics()["news"]
    subscribers = bulk_subscribers(600, topic, prefix="drill")
    campaign = CampaignFactory(topics=[topic])
    sent = Delivery.objects.filter(campaign=campaign, state="sent")
    celery_worker.start()

    campaigns.campaign_start(campaign=campaign)
    wait_for(lambda: sent.count() >= 100, timeout=60, interval=0.02)
    private_redis.restart()  # the queued batches are gone
    wait_for(lambda: celery_worker.log.read_text().count("Connected to redis") >= 2, timeout=40)
    assert sent.count() < 600, "the restart should land part-way"

    # What beat's sweeper does once the lost batches are older than STALL_AFTER.
    for campaign_id, batch in sending.requeue_due(now=timezone.now() + sending.STALL_AFTER):
        send_batch.delay(campaign_id, batch)
    wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == "sent", timeout=60)

    received = Counter(message["To"] for message in smtp_sink.messages)
    assert received == Counter({subscriber.email: 1 for subscriber in subscribers})
    assert sent.count() == 600
