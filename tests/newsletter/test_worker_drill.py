"""docs/reliability.md C-01 (short): a real worker on Redis, killed with SIGKILL mid-campaign, then
restarted; and the same for a sequence's letter.

Every recipient gets the campaign; at most the one message in flight at the kill goes twice.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from content.newsletter import campaigns, sending, sequences
from content.newsletter.models import Campaign, Delivery, Subscriber
from content.newsletter.tasks import send_batch
from tests.conftest import wait_for
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers
from tests.newsletter.sequence_helpers import make_sequence

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


@pytest.fixture
def worker(transactional_db, smtp_sink, monkeypatch, request):
    """The shared real-worker fixture, paced so that the kill lands part-way."""
    monkeypatch.setenv("NEWSLETTER_RATE_PER_SECOND", "250")
    monkeypatch.setenv("NEWSLETTER_BATCH_SIZE", "50")
    return request.getfixturevalue("celery_worker")


def sent_rows(campaign) -> int:
    return Delivery.objects.filter(campaign=campaign, state="sent").count()


def kill_mid_send_and_restart(worker, campaign, finished) -> None:
    """Kill the worker part-way through `campaign`, restart it, and sweep as beat would (each
    look, as if STALL_AFTER had passed since the kill) until `finished()`.

    Sweeping more than once matters: a dead worker's database session can still hold its last
    row's lock for a moment after the kill, and the sweep passes locked rows by. Every row is
    put back at most once: a swept row is due again only after `later`, and so is every row the
    new worker claims.
    """
    wait_for(lambda: sent_rows(campaign) >= 300, timeout=60)
    worker.kill()
    assert sent_rows(campaign) < 1000, "the kill should land part-way"
    later = timezone.now() + sending.STALL_AFTER
    worker.start()

    def swept_and_finished() -> bool:
        for campaign_id, batch in sending.requeue_due(now=later):
            send_batch.delay(campaign_id, batch)
        return finished()

    wait_for(swept_and_finished, timeout=120, interval=0.5)


def assert_each_once_but_one(smtp_sink, subscribers) -> None:
    received = Counter(message["To"] for message in smtp_sink.messages)
    assert set(received) == {s.email for s in subscribers}
    assert sum(received.values()) - len(received) <= 1


def test_sigkill_mid_campaign_loses_nothing_and_duplicates_at_most_one(worker, smtp_sink):
    topic = ensure_topics()["news"]
    subscribers = bulk_subscribers(1000, topic, prefix="drill")
    campaign = CampaignFactory(topics=[topic])
    worker.start()

    campaigns.campaign_start(campaign=campaign)  # batches are published on commit
    kill_mid_send_and_restart(
        worker, campaign, lambda: Campaign.objects.get(pk=campaign.pk).state == "sent"
    )
    assert_each_once_but_one(smtp_sink, subscribers)
    assert sent_rows(campaign) == 1000


def test_sigkill_mid_sequence_letter_loses_nothing_and_duplicates_at_most_one(worker, smtp_sink):
    """The same drill for a sequence's letter due to 1,000 enrolled subscribers at once."""
    subscribers = bulk_subscribers(1000, ensure_topics()["love-letters"], prefix="seq")
    sequence = make_sequence(delays=[0])
    enrolled = Subscriber.objects.filter(pk__in=[s.pk for s in subscribers])
    sequences.sequence_enroll(sequence=sequence, subscribers=enrolled, now=timezone.now())
    letter = Campaign.objects.get(step__sequence=sequence)
    worker.start()

    sequences.sequences_sweep(now=timezone.now() + timedelta(days=1))  # queued on commit
    kill_mid_send_and_restart(worker, letter, lambda: sent_rows(letter) == 1000)
    assert_each_once_but_one(smtp_sink, subscribers)
    assert not Delivery.objects.filter(campaign=letter, state__in=["pending", "sending"]).exists()
