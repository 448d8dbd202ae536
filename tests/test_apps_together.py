"""The apps through their hooks, for real: no receiver is replaced in these tests."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from bookings.services import booking_create
from content.blog.models import Post
from content.blog.services import post_publish
from content.newsletter.models import Campaign, Subscriber
from tests.blog.factories import PostFactory
from tests.bookings.conftest import booker
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.newsletter.conftest import ensure_topics

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # a Monday; London time equals UTC


def test_ticking_the_newsletter_box_when_booking_starts_the_double_opt_in(
    django_capture_on_commit_callbacks,
):
    ensure_topics()
    with time_machine.travel(NOW, tick=False):
        free_call = FreeCallFactory()
        open_every_day(free_call.calendar)
        with django_capture_on_commit_callbacks(execute=True):
            booking_create(
                session_type=free_call,
                start=NOW + timedelta(days=1, hours=2),
                booker=booker(1, newsletter=True),
            )
    subscriber = Subscriber.objects.get(email="booker1@example.org")
    assert subscriber.status == "pending" and subscriber.source == "booking"
    subjects = [message.subject for message in mail.outbox if message.to == [subscriber.email]]
    assert any("confirm" in subject.lower() for subject in subjects), subjects


def test_publishing_a_post_drafts_a_new_posts_campaign():
    ensure_topics()
    post = PostFactory(status=Post.Status.SCHEDULED, publish_at=NOW, title="On money")
    assert post_publish(post_id=post.pk, now=NOW + timedelta(minutes=1))
    campaign = Campaign.objects.get()
    assert campaign.subject == "New post: On money" and campaign.state == "draft"
    assert [topic.slug for topic in campaign.topics.all()] == ["new-posts"]
