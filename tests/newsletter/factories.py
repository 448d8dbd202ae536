import factory
from django.utils import timezone

from content.newsletter.models import Campaign, Subscriber, Topic, email_hash


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber of every active topic, unless told otherwise."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    email_hash = factory.LazyAttribute(lambda o: email_hash(o.email))
    first_name = "Ana"
    status = Subscriber.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create:
            obj.topics.set(extracted if extracted is not None else Topic.objects.active())


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Letter {n}")
    preheader = "A short note"
    body_markdown = "Hello **there**.\n\n![A tree](https://example.org/tree.jpg)"
    slug = factory.Sequence(lambda n: f"letter-{n}")

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create:
            obj.topics.set(extracted if extracted is not None else Topic.objects.active())


def bulk_subscribers(count: int, topic: Topic, prefix: str = "bulk") -> list[Subscriber]:
    """Many confirmed subscribers of one topic, in a few queries."""
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@example.org",
            email_hash=email_hash(f"{prefix}{i}@example.org"),
            status=Subscriber.Status.ACTIVE,
            confirmed_at=now,
        )
        for i in range(count)
    )
    Through = Subscriber.topics.through
    Through.objects.bulk_create(Through(subscriber=s, topic=topic) for s in subscribers)
    return subscribers
