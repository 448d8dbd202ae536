"""Subscriber and topic workflows: double opt-in, confirmation, preferences, leaving,
suppression; adding and renaming topics."""

import hashlib
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from clients.models import Person
from coaching.emails import absolute_url, send_email
from coaching.tokens import make_token
from content.newsletter import sequences
from content.newsletter.models import (
    TOPIC_NAME_TAKEN,
    ConsentRecord,
    Delivery,
    Subscriber,
    Suppression,
    Topic,
    email_hash,
)

# The wording shown beside every sign-up form; its hash is the version stored with consent.
CONSENT_TEXT = (
    "Send me the newsletter on the topics I chose. I can change my topics or leave at any "
    "time with the link in every email. My email address is used for nothing else."
)
CONSENT_VERSION = hashlib.sha256(CONSENT_TEXT.encode()).hexdigest()[:16]
CONFIRMATION_INTERVAL = timedelta(minutes=10)
DOI_MAX_AGE = timedelta(days=7)
PRUNE_AFTER = timedelta(days=30)


def doi_url(consent: ConsentRecord) -> str:
    return absolute_url(reverse("newsletter:confirm", args=[make_token("doi", consent.pk)]))


def preferences_url(subscriber_id: int) -> str:
    token = make_token("preferences", subscriber_id)
    return absolute_url(reverse("newsletter:preferences", args=[token]))


def unsubscribe_path(subscriber_id: int, campaign_id: int = 0) -> str:
    token = make_token("unsubscribe", [subscriber_id, campaign_id])
    return reverse("newsletter:unsubscribe", args=[token])


@transaction.atomic
def subscriber_request(
    *,
    email: str,
    topics: list[Topic],
    form_id: str,
    first_name: str = "",
    source: str = "form",
    source_url: str = "",
    ip: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> None:
    """Start a double opt-in: record the request and mail a confirmation link.

    The caller answers the same whatever happens here, so nobody learns whether an address is
    known or was just asked for. An active subscriber is left alone; at most one confirmation
    goes to an address every 10 minutes (unless the subscriber left since the last one);
    topics take effect only once the subscriber confirms.
    """
    now = now or timezone.now()
    email = email.strip()
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = _create_subscriber(email, first_name, source)
    elif subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED):
        return
    consent = ConsentRecord.objects.create(
        subscriber=subscriber,
        topics=[topic.slug for topic in topics],
        form_id=form_id,
        source_url=source_url[:300],
        consent_text=CONSENT_TEXT,
        consent_version=CONSENT_VERSION,
        requested_at=now,
        request_ip=ip,
        request_user_agent=user_agent[:300],
    )
    if first_name and subscriber.status == Subscriber.Status.PENDING:
        subscriber.first_name = first_name
        subscriber.save(update_fields=["first_name"])
    _send_confirmation(subscriber, consent, now)


def _create_subscriber(email: str, first_name: str, source: str) -> Subscriber:
    try:
        with transaction.atomic():
            return Subscriber.objects.create(
                email=email, email_hash=email_hash(email), first_name=first_name, source=source
            )
    except IntegrityError:  # the same address signed up at the same instant: use that row
        return Subscriber.objects.select_for_update().get(email__iexact=email)


def _send_confirmation(subscriber: Subscriber, consent: ConsentRecord, now: datetime) -> bool:
    """Mail the link unless one went less than 10 minutes ago (a flood guard); a link sent
    before an unsubscribe does not count, so someone who left and changes their mind gets one
    (a bounce or a spam report does not reset the guard)."""
    # A conditional UPDATE, so two requests at the same instant still send one email.
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(confirmation_sent_at=None)
            | Q(confirmation_sent_at__lte=now - CONFIRMATION_INTERVAL)
            | Q(status=Subscriber.Status.UNSUBSCRIBED, left_at__gt=F("confirmation_sent_at"))
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        # No name in this email: it goes to an address nobody has verified yet.
        send_email(
            to=subscriber.email,
            template="newsletter_confirm",
            context={"confirm_url": doi_url(consent)},
            related=subscriber,
        )
    else:
        subscriber.refresh_from_db(fields=["confirmation_sent_at"])
    return bool(claimed)


@transaction.atomic
def subscriber_confirm(
    *, consent: ConsentRecord, ip: str | None, user_agent: str, now: datetime | None = None
) -> Subscriber:
    """Confirm an opt-in: record the evidence, subscribe, lift the suppression, send the welcome.

    Idempotent: confirming the same link again changes nothing and is not an error (mail
    scanners and a second click must both see success).
    """
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().get(pk=consent.subscriber_id)
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.confirmed_at is not None:
        return subscriber
    consent.confirmed_at, consent.confirm_ip = now, ip
    consent.confirm_user_agent = user_agent[:300]
    consent.save(update_fields=["confirmed_at", "confirm_ip", "confirm_user_agent"])
    subscriber.status, subscriber.left_at, subscriber.soft_bounces = "active", None, 0
    subscriber.confirmed_at = subscriber.confirmed_at or now
    person = Person.objects.filter(email__iexact=subscriber.email).first()
    subscriber.client_id = person.client_id if person else subscriber.client_id
    subscriber.save()
    subscriber.topics.set(Topic.objects.active().filter(slug__in=consent.topics))
    Suppression.objects.filter(email_hash=subscriber.email_hash).delete()
    sequences.subscriber_follow_topics(subscriber=subscriber, now=now)
    send_email(
        to=subscriber.email,
        template="newsletter_welcome",
        context={"subscriber": subscriber, "preferences_url": preferences_url(subscriber.pk)},
        related=subscriber,
    )
    return subscriber


@transaction.atomic
def subscriber_leave(
    *,
    subscriber: Subscriber,
    reason: str = Suppression.Reason.UNSUBSCRIBED,
    campaign_id: int = 0,
    now: datetime | None = None,
) -> bool:
    """Unsubscribe (or bounce, or complaint): suppress the address at once. Idempotent.

    Returns whether anything changed. Consent records are kept, marked withdrawn.
    """
    now = now or timezone.now()
    if campaign_id:
        Delivery.objects.filter(
            campaign_id=campaign_id, subscriber=subscriber, unsubscribed_at=None
        ).update(unsubscribed_at=now)
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status__in=Subscriber.SUPPRESSED)
        .update(status=reason, left_at=now)
    )
    Suppression.objects.get_or_create(email_hash=subscriber.email_hash, defaults={"reason": reason})
    if changed:
        subscriber.consents.filter(withdrawn_at=None).update(withdrawn_at=now)
        # Rows not yet claimed are skipped now; the claim re-checks the status anyway.
        subscriber.deliveries.filter(state=Delivery.State.PENDING).update(
            state=Delivery.State.SKIPPED, error=f"suppressed: {reason}"
        )
        sequences.enrollments_stop(enrollments=subscriber.enrollments, reason=reason, now=now)
    subscriber.refresh_from_db()
    return bool(changed)


@transaction.atomic
def subscriber_update_preferences(
    *, subscriber: Subscriber, first_name: str, topics: list[Topic], paused: bool
) -> Subscriber:
    """Change name and topics, or pause and resume; only for a subscriber who is in."""
    if subscriber.status not in (Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED):
        raise ValidationError("This address is not subscribed; please sign up again.")
    if not topics and not paused:
        raise ValidationError("Choose at least one topic, or leave the newsletter.")
    subscriber.first_name = first_name
    subscriber.status = Subscriber.Status.PAUSED if paused else Subscriber.Status.ACTIVE
    subscriber.save(update_fields=["first_name", "status"])
    subscriber.topics.set(topics)
    sequences.subscriber_follow_topics(subscriber=subscriber, now=timezone.now())
    return subscriber


def subscriber_prune_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete sign-ups never confirmed within 30 days; returns how many."""
    cutoff = (now or timezone.now()) - PRUNE_AFTER
    stale = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at=None, created_at__lt=cutoff
    )
    _, by_model = stale.delete()
    return by_model.get("newsletter.Subscriber", 0)


def topic_create(*, name: str, description: str = "") -> Topic:
    """Add a topic at the end of the list, with a slug of its own.

    The form checks the name is free, but two tabs can add the same name at once: the unique
    constraints (name, case-insensitive; slug) decide, and the loser gets a ValidationError.
    """
    topic = Topic(name=name, description=description, slug=_free_slug(name))
    topic.position = Topic.objects.count()
    return _topic_save(topic)


def topic_update(*, topic: Topic) -> Topic:
    """Save a renamed or redescribed topic (its slug, in subscribers' links, stays)."""
    return _topic_save(topic)


def _topic_save(topic: Topic) -> Topic:
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:
        name_taken = Topic.objects.filter(name__iexact=topic.name).exclude(pk=topic.pk).exists()
        # Otherwise only the slug clashed: another name that slugifies alike, at the same instant.
        retry = "Another topic was added at the same moment: please try again."
        raise ValidationError(TOPIC_NAME_TAKEN if name_taken else retry) from None
    return topic


def _free_slug(name: str) -> str:
    base = slugify(name)[:40] or "topic"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
