"""Demo data for the newsletter: topics, a few confirmed subscribers, a sent issue, a draft, and
a six-letter "love letters" sequence on its topic."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from content.newsletter import sequences
from content.newsletter.models import (
    Campaign,
    ConsentRecord,
    Delivery,
    Sequence,
    SequenceStep,
    Subscriber,
    Topic,
    email_hash,
)
from content.newsletter.services import CONSENT_TEXT, CONSENT_VERSION

TOPICS = [
    ("news", "News"),
    ("book-releases", "Book releases"),
    ("love-letters", "Love letters"),
    ("new-posts", "New posts"),
]
PEOPLE = [
    ("amara@example.org", "Amara"),
    ("jonas@example.org", "Jonas"),
    ("lea@example.org", "Léa"),
]
SENT_SUBJECT = "Five small ways to share power at home"
DRAFT_SUBJECT = "The book is coming: join the waitlist"


def seed() -> list[str]:
    """Idempotent: every row is found by a natural key before it is created."""
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[0]
        for i, (slug, name) in enumerate(TOPICS)
    ]
    now = timezone.now()
    subscribers = [_subscriber(email, name, topics, now) for email, name in PEOPLE]
    sent = _campaign(SENT_SUBJECT, topics[:3], Campaign.State.SENT, now, published=True)
    for subscriber in subscribers:
        Delivery.objects.get_or_create(
            campaign=sent,
            subscriber=subscriber,
            defaults={
                "email": subscriber.email,
                "batch": 0,
                "state": "sent",
                "due_at": now,
                "sent_at": now,
            },
        )
    _campaign(DRAFT_SUBJECT, topics[1:2], Campaign.State.DRAFT, now)
    _love_letters(topics[2])
    return [
        f"Newsletter: {len(subscribers)} subscribers, 1 issue in /newsletter/archive/, 1 draft, "
        "the six-letter love-letters sequence (off) at /coach/newsletter/sequences/"
    ]


LOVE_LETTERS = [
    (0, "Love letter 1: the first thing you noticed"),
    (2, "Love letter 2: small rituals"),
    (5, "Love letter 3: when you disagree"),
    (9, "Love letter 4: the unspoken chores"),
    (14, "Love letter 5: asking for what you need"),
    (21, "Love letter 6: a letter to write together"),
]


def _love_letters(topic: Topic) -> Sequence:
    """Six letters, days 0 to 21, to whoever confirms the "Love letters" topic; left off, so
    the coach turns it on after reading them."""
    sequence, created = Sequence.objects.get_or_create(
        name="Love letters", defaults={"trigger": Sequence.Trigger.TOPIC, "topic": topic}
    )
    if created:
        for delay, subject in LOVE_LETTERS:
            body = (
                'Dear {{ first_name|default:"you two" }},\n\n'
                f"{subject.split(': ', 1)[1].capitalize()}: this week, try one small thing "
                "together and tell each other how it felt.\n\nWith love,\nMaya"
            )
            sequences.step_save(
                step=SequenceStep(sequence=sequence, delay_days=delay),
                campaign=Campaign(subject=subject, body_markdown=body),
            )
    return sequence


def _subscriber(email, name, topics, now) -> Subscriber:
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={
            "email_hash": email_hash(email),
            "first_name": name,
            "status": "active",
            "confirmed_at": now - timedelta(days=20),
        },
    )
    if created:
        subscriber.topics.set(topics)
        ConsentRecord.objects.create(
            subscriber=subscriber, topics=[t.slug for t in topics], form_id="demo",
            consent_text=CONSENT_TEXT, consent_version=CONSENT_VERSION,
            requested_at=subscriber.confirmed_at, confirmed_at=subscriber.confirmed_at,
        )  # fmt: skip
    return subscriber


def _campaign(subject, topics, state, now, published=False) -> Campaign:
    body = (
        "Power in a couple is not only money. It is who decides, who speaks first, who "
        "rests.\n\n1. Name one decision you make alone.\n2. Ask how it feels to your partner."
        "\n3. Trade one chore for a week.\n\nWith love,\nMaya"
    )
    campaign, created = Campaign.objects.get_or_create(
        subject=subject,
        defaults={
            "body_markdown": body,
            "state": state,
            "published": published,
            "slug": slugify(subject)[:80],
        },
    )
    if created:
        campaign.topics.set(topics)
        if state == Campaign.State.SENT:
            Campaign.objects.filter(pk=campaign.pk).update(
                started_at=now, finished_at=now, recipients_count=3
            )
    return campaign
