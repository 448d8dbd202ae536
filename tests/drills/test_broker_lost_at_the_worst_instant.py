"""Drill X-01 (docs/reliability.md) at its worst instant: the broker goes after the SMTP server kept
a message and before the sender heard "250 OK". The worker then terminates the running task
(SIGTERM, from `worker_cancel_long_running_tasks_on_connection_loss`); the sender must still write
that the message went, or the sweeper would send it again. The sink stops Redis from inside the SMTP
conversation, so the signal lands in that window every time.

tests/coaching/test_termination.py checks the hold itself in a bare process."""

import time
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from coaching import emails
from coaching.models import OutboundEmail
from coaching.tasks import deliver_email
from content.newsletter import campaigns, sending
from content.newsletter.models import Campaign, Delivery
from content.newsletter.tasks import send_batch
from tests.conftest import wait_for
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("drills")]


def _pool_process(celery_worker) -> str:
    """The pid of the worker's one pool process (it runs the tasks)."""
    pid = celery_worker.process.pid
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().strip()


def _lose_the_broker_before_answering(smtp_sink, celery_worker, private_redis, at: int) -> None:
    def lose_it(count: int) -> None:
        if count != at:
            return
        private_redis.stop()
        wait_for(lambda: "Terminating it instead" in celery_worker.log.read_text(), timeout=15)
        time.sleep(0.3)  # the SIGTERM reaches the pool process, which is waiting for this answer
        private_redis.start()

    smtp_sink.before_answer = lose_it


def _wait_for_the_pool_process_to_be_replaced(celery_worker, terminated: str) -> None:
    wait_for(lambda: celery_worker.log.read_text().count("Connected to redis") >= 2, timeout=40)
    wait_for(lambda: _pool_process(celery_worker) not in ("", terminated), timeout=15)


def test_a_campaign_letter_the_server_kept_is_recorded_before_the_sender_ends(
    celery_worker, smtp_sink, private_redis
):
    topic = ensure_topics()["news"]
    subscribers = bulk_subscribers(12, topic, prefix="window")
    campaign = CampaignFactory(topics=[topic])
    _lose_the_broker_before_answering(smtp_sink, celery_worker, private_redis, at=4)
    celery_worker.start()
    sender = _pool_process(celery_worker)

    campaigns.campaign_start(campaign=campaign)
    _wait_for_the_pool_process_to_be_replaced(celery_worker, sender)

    rows = Delivery.objects.filter(campaign=campaign)
    assert len(smtp_sink.messages) == 4
    assert rows.filter(state="sent").count() == 4, "a letter the server kept is not recorded"
    assert not rows.filter(state="sending").exists()

    # The batch went with the broker; beat's sweeper finds its pending rows.
    for campaign_id, batch in sending.requeue_due(now=timezone.now() + sending.STALL_AFTER):
        send_batch.delay(campaign_id, batch)
    wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == "sent", timeout=60)
    received = Counter(message["To"] for message in smtp_sink.messages)
    assert received == Counter({subscriber.email: 1 for subscriber in subscribers})


def test_a_transactional_email_the_server_kept_is_recorded_before_the_sender_ends(
    celery_worker, smtp_sink, private_redis
):
    _lose_the_broker_before_answering(smtp_sink, celery_worker, private_redis, at=1)
    celery_worker.start()
    sender = _pool_process(celery_worker)

    emails.send_email(to="reader@example.org", template="coach_test", context={})
    _wait_for_the_pool_process_to_be_replaced(celery_worker, sender)

    assert list(OutboundEmail.objects.values_list("status", flat=True)) == ["sent"]
    for email_id in emails.requeue_due(now=timezone.now() + emails.STALL_AFTER):
        deliver_email.delay(email_id)
    emails.send_email(to="last@example.org", template="coach_test", context={})
    wait_for(lambda: "last@example.org" in smtp_sink.sent_to(), timeout=30)
    assert smtp_sink.sent_to() == ["reader@example.org", "last@example.org"]
