"""Newsletter: topics, subscribers with their consent evidence, suppressions, campaigns.

A `Subscriber` is one address (unique, case-insensitive) with the topics they chose; each
opt-in request is a `ConsentRecord` (kept after they leave, as proof). A `Suppression` holds
only a hash of an address that left, bounced or complained, so no import or erasure can make
a campaign reach it again. A `Campaign` is sent as one `Delivery` row per recipient: the row,
claimed with a conditional UPDATE, is what makes each message go once.
"""

import copy
import hashlib

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from content.newsletter import merge
from content.newsletter.segments import Assessment, Segment, validate_stages


def email_hash(email: str) -> str:
    """A stable hash of a normalised address: what suppressions keep after erasure."""
    return hashlib.sha256(f"newsletter:{email.strip().lower()}".encode()).hexdigest()


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at=None)


TOPIC_NAME_TAKEN = "There is already a topic with this name: choose another one."


class Topic(models.Model):
    """What a subscriber can choose to receive (news, book releases, love letters, new posts)."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            # Subscribers choose topics by name: "News" and "news" would be one choice twice.
            models.UniqueConstraint(
                Lower("name"),
                name="newsletter_topic_name_unique_ci",
                violation_error_message=TOPIC_NAME_TAKEN,
            )
        ]

    def __str__(self):
        return self.name

    def set_retired(self, retired: bool) -> None:
        """Retire (hidden from sign-up forms, kept with its subscribers) or bring back."""
        self.retired_at = timezone.now() if retired else None
        self.save(update_fields=["retired_at"])


class SubscriberQuerySet(models.QuerySet):
    def audience(self, campaign_id: int):
        """Whom the campaign goes to (`segment()` of its topics and filters): what the start
        snapshots."""
        return self.segment(Segment.of(Campaign.objects.get(pk=campaign_id)))

    def sendable(self):
        """Confirmed and subscribed (active), and not suppressed: who may get campaign mail."""
        suppressed = Suppression.objects.filter(email_hash=OuterRef("email_hash"))
        return self.filter(~Exists(suppressed), status=Subscriber.Status.ACTIVE)

    def segment(self, segment: Segment):
        """`sendable()`, to one of the segment's topics, and within its filters. The one
        definition behind the count the coach sees while choosing, the count the coach confirms
        and the snapshot at the start."""
        in_topic = Subscriber.topics.through.objects.filter(
            subscriber_id=OuterRef("pk"), topic_id__in=segment.topic_ids
        )
        return self.sendable().filter(Exists(in_topic), segment.q())


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        PAUSED = "paused", "Paused"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"

    # Statuses that put the address on the suppression list.
    SUPPRESSED = (Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED)

    email = models.EmailField()
    email_hash = models.CharField(max_length=64, db_index=True)
    first_name = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    source = models.CharField(max_length=30, default="form")
    # The client record with the same email; the link lives here so `clients` imports nothing.
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(default=0)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_unique_ci")
        ]
        indexes = [models.Index(fields=["status", "confirmed_at"])]

    def __str__(self):
        return self.email


class ConsentRecord(models.Model):
    """One opt-in: what they were shown and agreed to, when, from where (GDPR Art. 7(1)).

    Kept after an unsubscribe; a new opt-in after leaving adds a record beside the old ones.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    topics = models.JSONField(default=list, help_text="Slugs of the topics (the lists) chosen.")
    form_id = models.CharField(max_length=40)
    source_url = models.CharField(max_length=300, blank=True)
    consent_text = models.TextField()
    consent_version = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now)
    request_ip = models.GenericIPAddressField(null=True, blank=True)
    request_user_agent = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_ip = models.GenericIPAddressField(null=True, blank=True)
    confirm_user_agent = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.form_id} {self.requested_at:%Y-%m-%d}"


class Suppression(models.Model):
    """An address that must never get a campaign again, kept only as a hash."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed"
        BOUNCED = "bounced"
        COMPLAINED = "complained"
        ERASED = "erased"

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.reason} {self.email_hash[:12]}"


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        NEEDS_CONFIRMATION = "needs_confirmation", "Waiting for your confirmation"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    EDITABLE = (State.DRAFT, State.SCHEDULED, State.NEEDS_CONFIRMATION)
    MERGE_FIELDS = ("subject", "preheader", "body_markdown")  # where merge tags may appear

    subject = models.CharField(max_length=200, validators=[merge.validate])
    preheader = models.CharField(max_length=200, blank=True, validators=[merge.validate])
    body_markdown = models.TextField(validators=[merge.validate])
    topics = models.ManyToManyField(Topic, related_name="campaigns")
    # The segment within the topics' subscribers (content/newsletter/segments.py); empty: all.
    stages = models.JSONField(
        default=list, blank=True, validators=[validate_stages], help_text="None chosen: all."
    )
    assessment = models.CharField(max_length=9, choices=Assessment.choices, blank=True)
    joined_from = models.DateField(null=True, blank=True)
    joined_to = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    pause_reason = models.CharField(max_length=200, blank=True)
    complaint_alerted_at = models.DateTimeField(null=True, blank=True)
    slug = models.SlugField(max_length=80, blank=True)
    published = models.BooleanField(
        default=False, help_text="Show this issue in the public archive once it is sent."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        step = getattr(self, "step", None)  # a sequence's letter is edited on its sequence
        if step is not None:
            return reverse("newsletter_coach:step_edit", args=[step.sequence_id, step.pk])
        return reverse("newsletter_coach:campaign", args=[self.pk])

    def get_archive_url(self):
        return reverse("newsletter:archive_issue", args=[self.pk, self.slug or "issue"])

    @property
    def has_started(self) -> bool:
        """Sending began (it may since have paused, finished or been cancelled)."""
        started = (self.State.SENDING, self.State.PAUSED, self.State.SENT)
        return self.started_at is not None or self.state in started

    def recipients(self):
        return Subscriber.objects.segment(self.segment)

    @property
    def segment(self) -> Segment:
        return Segment.of(self)

    def check_merge_tags(self) -> None:
        """ValidationError, by field, for anything in braces that is not a known merge tag."""
        others = {field.name for field in self._meta.fields} - set(self.MERGE_FIELDS)
        self.clean_fields(exclude=others)

    def merged(self, values: dict[str, str] | None = None) -> "Campaign":
        """An unsaved copy with its merge tags filled in: one recipient's values, or every
        fallback (the public archive, which shows no one's name)."""
        copied = copy.copy(self)
        for field in self.MERGE_FIELDS:
            setattr(copied, field, merge.render(getattr(self, field), values))
        return copied


class DeliveryQuerySet(models.QuerySet):
    def due_again(self, now):
        """Rows to queue again: a retry that is due, or a claim whose worker was lost."""
        return self.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
            due_at__lte=now,
            campaign__state=Campaign.State.SENDING,
        )


class Delivery(models.Model):
    """One campaign to one subscriber: pending → sending (claimed) → sent | failed | skipped."""

    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        SKIPPED = "skipped"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    # SET_NULL, so erasing a subscriber keeps the campaign's counts (the email is blanked).
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField(blank=True)
    batch = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(help_text="When the sweeper queues this row again if unsent.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "batch", "state"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self):
        return f"{self.campaign_id} → {self.email or 'erased'}"


class Sequence(models.Model):
    """Letters that follow a trigger, one by one: each `SequenceStep` is a `Campaign` whose
    deliveries are added one enrollee at a time (`sequences.py`), and sent by the campaign path.
    """

    class Trigger(models.TextChoices):
        TOPIC = "topic", "Confirms a topic"
        FREE_CALL = "free_call", "A free call ended"
        ASSESSMENT = "assessment", "Finished the assessment"

    # Series that court a lead: booking a paid session (becoming a client) stops them.
    NURTURE = (Trigger.FREE_CALL, Trigger.ASSESSMENT)

    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sequences",
        help_text="For “Confirms a topic”: confirming this topic starts the series.",
    )
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletter_coach:sequence", args=[self.pk])

    @property
    def is_nurture(self) -> bool:
        return self.trigger in self.NURTURE


class SequenceStep(models.Model):
    """One letter of a sequence, `delay_days` after the first morning after joining. Its
    subject and body are its campaign's; the steps go in order of delay."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="step")
    delay_days = models.PositiveSmallIntegerField(
        default=0, help_text="0: the first morning after joining; 1: the morning after; …"
    )

    class Meta:
        ordering = ["delay_days", "pk"]

    def __str__(self):
        return f"{self.sequence} +{self.delay_days}d"


class Enrollment(models.Model):
    """One subscriber in one sequence (once ever). `steps_done` steps were handed to the
    campaign path; the next is due at `next_due_at` (None: none left, or stopped). The sweeper
    claims a due row by a conditional UPDATE on `steps_done`."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(default=timezone.now)
    # The first letter's day in `time_zone` (the subscriber's, else the coach's): step delays
    # count whole local days from it, so each letter comes at the local morning hour.
    anchor = models.DateField()
    time_zone = models.CharField(max_length=64)
    steps_done = models.PositiveSmallIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "subscriber"], name="newsletter_enrollment_once"
            )
        ]
        indexes = [models.Index(fields=["sequence", "steps_done", "next_due_at"])]

    def __str__(self):
        return f"{self.subscriber_id} in {self.sequence_id}"
