from celery import shared_task

from content.newsletter import campaigns, sending, sequences, services
from content.newsletter.models import Campaign


@shared_task
def start_campaign(campaign_id: int) -> None:
    """Start a scheduled campaign: at-most-once, by the state claim in `campaign_start`."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        campaigns.campaign_start(campaign=campaign, from_states=[Campaign.State.SCHEDULED])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_batch(campaign_id: int, batch: int) -> None:
    """Send one batch: at-least-once delivery of the task, once per row by each row's claim."""
    sending.batch_send(campaign_id=campaign_id, batch=batch)


@shared_task
def sweep() -> None:
    """Beat sweeper: start due campaigns, queue again lost or due batches."""
    for campaign_id in campaigns.campaigns_due():
        start_campaign.delay(campaign_id)
    for campaign_id, batch in sorted(sending.requeue_due()):
        send_batch.delay(campaign_id, batch)


@shared_task
def sweep_sequences() -> None:
    """Beat: enroll from the triggers, hand due sequence letters to the campaign path (their
    batches are queued on commit). Idempotent: each enrollment's claim, UNIQUE deliveries."""
    sequences.sequences_sweep()


@shared_task
def prune_unconfirmed() -> None:
    """Beat: delete sign-ups never confirmed within 30 days (idempotent)."""
    services.subscriber_prune_unconfirmed()
