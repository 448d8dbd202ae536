"""Scheduled publishing through a real worker on Redis: every due post once, none early."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.blog import tasks
from content.blog.models import Post
from tests.blog.factories import PostFactory
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


def test_repeated_sweeps_through_a_worker_publish_each_due_post_once(celery_worker):
    due = [PostFactory(status=Post.Status.SCHEDULED) for _ in range(3)]
    later = PostFactory(
        status=Post.Status.SCHEDULED, publish_at=timezone.now() + timedelta(hours=1)
    )
    celery_worker.start()
    for _ in range(3):  # three beat ticks, or a redelivered sweep
        tasks.publish_due_posts.delay()
        for post in due:  # and repeated per-post messages
            tasks.publish_post.delay(post.pk)
    published = Post.objects.filter(status=Post.Status.PUBLISHED)
    wait_for(lambda: published.count() == 3)
    first = dict(published.values_list("pk", "published_at"))

    def done() -> int:
        return celery_worker.log.read_text().count("succeeded")

    before = done()
    for post in due:  # late duplicates find nothing left to claim
        tasks.publish_post.delay(post.pk)
    wait_for(lambda: done() >= before + 3)
    assert dict(published.values_list("pk", "published_at")) == first
    later.refresh_from_db()
    assert later.status == Post.Status.SCHEDULED
