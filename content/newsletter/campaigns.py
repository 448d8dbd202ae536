"""Campaign workflows: save, schedule, start, pause, resume, cancel, late starts, complaints."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from coaching.emails import send_email
from coaching.models import OutboundEmail, SiteSettings
from content.newsletter import merge
from content.newsletter.mail import CampaignMail
from content.newsletter.models import Campaign, Delivery, Subscriber, Topic
from content.newsletter.sending import campaign_finish_if_done

logger = logging.getLogger(__name__)

# A scheduled campaign found this late (e.g. after an outage) waits for the coach instead.
RESUME_MAX_AGE = timedelta(hours=6)
COMPLAINT_ALERT_RATE = 0.001
COMPLAINT_PAUSE_RATE = 0.003
NEW_POSTS_TOPIC = "new-posts"
S = Campaign.State


@transaction.atomic
def campaign_save(*, campaign: Campaign, topics: list[Topic]) -> Campaign:
    """Save a draft (or an edit before sending) with its audience; only known merge tags."""
    if campaign.pk and campaign.state not in Campaign.EDITABLE:
        raise ValidationError("A campaign that has started can no longer be edited.")
    campaign.check_merge_tags()
    campaign.slug = slugify(merge.render(campaign.subject))[:80]
    campaign.pause_reason = ""  # the edit answers whatever was waiting for the coach
    campaign.save()
    campaign.topics.set(topics)
    return campaign


def check_schedule_time(at: datetime) -> None:
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future, or send it now.")


def campaign_schedule(*, campaign: Campaign, at: datetime) -> Campaign:
    """Schedule a draft for a time in the future (stored in UTC)."""
    check_schedule_time(at)
    if not campaign.topics.exists():
        raise ValidationError("Choose at least one topic for the audience.")
    campaign.check_merge_tags()
    updated = Campaign.objects.filter(pk=campaign.pk, state__in=Campaign.EDITABLE).update(
        state=S.SCHEDULED, scheduled_at=at
    )
    if not updated:
        raise ValidationError("Only a draft or a scheduled campaign can be scheduled.")
    campaign.refresh_from_db()
    return campaign


def _snapshot(campaign_id: int, now: datetime) -> int:
    """Copy the audience in one statement; unique(campaign, subscriber) makes it idempotent."""
    audience = Subscriber.objects.audience(campaign_id).order_by().values("id", "email")
    audience_sql, audience_params = audience.query.sql_with_params()
    sql = f"""
        INSERT INTO {Delivery._meta.db_table}
               (campaign_id, subscriber_id, email, batch, state, attempts, due_at, error)
        SELECT %s, a.id, a.email, (ROW_NUMBER() OVER (ORDER BY a.id) - 1) / %s,
               'pending', 0, %s, ''
        FROM ({audience_sql}) a
        ON CONFLICT DO NOTHING"""  # noqa: S608 (table name from the model, values bound)
    params = [campaign_id, settings.NEWSLETTER_BATCH_SIZE, now, *audience_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def campaign_start(
    *,
    campaign: Campaign,
    from_states=Campaign.EDITABLE,
    expected_recipients: int | None = None,
) -> int:
    """Start sending now: snapshot the recipients and queue their batches after commit.

    Claimed with a conditional UPDATE, so a campaign starts once however often this is called.
    With `expected_recipients` (the number the coach confirmed) it starts only if the snapshot
    holds exactly that many; otherwise ValidationError and nothing changed. A campaign with an
    unknown merge tag never starts (a scheduled one waits for the coach). Returns the number of
    recipients (0 when it was not startable).
    """
    _refuse_unknown_merge_tags(campaign)
    now = timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, state__in=from_states).update(
            state=Campaign.State.SENDING, started_at=now, pause_reason=""
        )
        if not claimed:
            return 0
        count = _snapshot(campaign.pk, now)
        if expected_recipients is not None and count != expected_recipients:
            raise ValidationError(  # rolls back the claim and the snapshot
                "The audience changed since you looked: it is now %(count)s. Please confirm again.",
                params={"count": count},
            )
        Campaign.objects.filter(pk=campaign.pk).update(recipients_count=count)
        batches = -(-count // settings.NEWSLETTER_BATCH_SIZE)
        transaction.on_commit(partial(enqueue_batches, [(campaign.pk, b) for b in range(batches)]))
    if not count:
        campaign_finish_if_done(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return count


def _refuse_unknown_merge_tags(campaign: Campaign) -> None:
    try:
        campaign.check_merge_tags()
    except ValidationError:
        Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SCHEDULED).update(
            state=Campaign.State.NEEDS_CONFIRMATION,
            pause_reason="A merge tag needs fixing: edit the campaign, then send or schedule it.",
        )
        raise


def enqueue_batches(pairs) -> None:
    """Queue these (campaign, batch) pairs' batch tasks (call on commit)."""
    from content.newsletter.tasks import send_batch

    for campaign_id, batch in pairs:
        send_batch.delay(campaign_id, batch)


def _transition(campaign: Campaign, from_states, to: str, message: str, **fields) -> None:
    if not Campaign.objects.filter(pk=campaign.pk, state__in=from_states).update(
        state=to, **fields
    ):
        raise ValidationError(message)
    campaign.refresh_from_db()


def campaign_pause(*, campaign: Campaign, reason: str = "Paused by you.") -> None:
    """Stop after the message in flight; nothing already sent is touched."""
    _transition(
        campaign, [S.SENDING], S.PAUSED, "Only a sending campaign can pause.", pause_reason=reason
    )


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> None:
    """Go on with the rows still pending; sent rows stay sent, so nobody gets it twice."""
    _transition(
        campaign, [S.PAUSED], S.SENDING, "Only a paused campaign can resume.", pause_reason=""
    )
    batches = (
        Delivery.objects.filter(campaign=campaign, state=Delivery.State.PENDING)
        .values_list("batch", flat=True)
        .distinct()
    )
    transaction.on_commit(partial(enqueue_batches, [(campaign.pk, b) for b in batches]))


@transaction.atomic
def campaign_cancel(*, campaign: Campaign) -> None:
    """Cancel: rows not yet sent are skipped; what was sent stays recorded."""
    _transition(
        campaign,
        [S.DRAFT, S.SCHEDULED, S.NEEDS_CONFIRMATION, S.SENDING, S.PAUSED],
        S.CANCELLED,
        "This campaign can no longer be cancelled.",
    )
    campaign.deliveries.filter(state=Delivery.State.PENDING).update(
        state=Delivery.State.SKIPPED, error="campaign cancelled"
    )


def campaign_publish(*, campaign: Campaign, published: bool) -> None:
    """Show the campaign in the public archive (which lists it once sent) or take it out.

    The coach says which way, so a second click changes nothing rather than undoing the first.
    """
    campaign.published = published
    campaign.save(update_fields=["published", "updated_at"])


def campaign_send_test(
    *, campaign: Campaign, subscriber: Subscriber | None, to: list[str]
) -> list[OutboundEmail]:
    """Send the campaign now to each address of `to`, marked [Test], with `subscriber`'s merge
    values (None: every fallback). Through the email helper, so each is recorded in the outbox
    and delivered by the worker; no delivery row, no stats."""
    values = merge.values_of(subscriber)
    headers, subject, text, html = CampaignMail(campaign, test=True).personal(0, 0, values)
    context = {"subject": subject, "text": text, "html": html}
    return [
        send_email(
            to=address,
            template="newsletter_test",
            context=context,
            related=campaign,
            headers=headers,
            from_email=settings.NEWSLETTER_FROM_EMAIL,
        )
        for address in to
    ]


def campaigns_due(*, now: datetime | None = None) -> list[int]:
    """Scheduled campaigns whose time has come; those overdue by 6 h wait for confirmation."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Campaign.objects.filter(state=S.SCHEDULED, scheduled_at__lte=now)
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
        Campaign.objects.filter(pk__in=ids, scheduled_at__lt=now - RESUME_MAX_AGE).update(
            state=S.NEEDS_CONFIRMATION
        )
        return list(
            Campaign.objects.filter(pk__in=ids, state=S.SCHEDULED).values_list("pk", flat=True)
        )


@dataclass(frozen=True)
class Stats:
    total: int
    sent: int
    failed: int
    skipped: int
    remaining: int
    unsubscribed: int
    complained: int
    bounced: int = 0

    @property
    def figures(self) -> list[dict]:
        """Rows of the figures table and bars of its chart (counts only, never people)."""
        rows = [
            ("Delivered", self.sent),
            ("Bounced", self.bounced),
            ("Spam complaints", self.complained),
            ("Unsubscribed", self.unsubscribed),
        ]
        top = max([n for _, n in rows] + [1])
        return [
            {"label": label, "count": n, "width": round(100 * n / top, 1), "y": 8 + i * 32}
            for i, (label, n) in enumerate(rows)
        ]

    @property
    def percent_done(self) -> int:
        done = self.sent + self.failed + self.skipped
        return round(100 * done / self.total) if self.total else 100

    @property
    def complaint_rate(self) -> float:
        return self.complained / self.sent if self.sent else 0.0


def campaign_stats(campaign: Campaign) -> Stats:
    """Counts by state in one query."""
    D = Delivery.State
    counts = campaign.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state=D.SENT)),
        failed=Count("pk", filter=Q(state=D.FAILED)),
        skipped=Count("pk", filter=Q(state=D.SKIPPED)),
        remaining=Count("pk", filter=Q(state__in=[D.PENDING, D.SENDING])),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
    )
    return Stats(**counts)


def campaign_check_complaints(*, campaign: Campaign) -> str:
    """Alert the coach at a 0.1 % complaint rate; pause sending at 0.3 %. Returns the action."""
    rate = campaign_stats(campaign).complaint_rate
    if rate >= COMPLAINT_PAUSE_RATE and campaign.state == S.SENDING:
        reason = f"Paused automatically: {rate:.2%} of recipients marked it as spam."
        Campaign.objects.filter(pk=campaign.pk, state=S.SENDING).update(
            state=S.PAUSED, pause_reason=reason
        )
        _alert(campaign, reason)
        return "paused"
    if rate >= COMPLAINT_ALERT_RATE:
        claimed = Campaign.objects.filter(pk=campaign.pk, complaint_alerted_at=None).update(
            complaint_alerted_at=timezone.now()
        )
        if claimed:
            _alert(campaign, f"{rate:.2%} of recipients marked it as spam.")
            return "alerted"
    return ""


def _alert(campaign: Campaign, text: str) -> None:
    logger.warning("newsletter complaint monitor, campaign %s: %s", campaign.pk, text)
    send_email(
        to=SiteSettings.load().coach_email,
        template="newsletter_complaints",
        context={"campaign": campaign, "text": text},
        related=campaign,
    )


def campaign_from_post(post) -> Campaign | None:
    """A draft for the "New posts" topic when a blog post is published (the coach sends it)."""
    topic = Topic.objects.active().filter(slug=NEW_POSTS_TOPIC).first()
    if topic is None:
        return None
    from coaching.emails import absolute_url

    title, excerpt = merge.as_literal(post.title), merge.as_literal(post.excerpt)
    body = f"{excerpt}\n\n[Read “{title}”]({absolute_url(post.get_absolute_url())})"
    campaign = Campaign(subject=f"New post: {title}"[:200], body_markdown=body)
    return campaign_save(campaign=campaign, topics=[topic])
