"""Scheduled posts go public on time in the coach's zone, exactly once."""

import zoneinfo
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from coaching.hooks import post_published
from content.blog import services, tasks
from content.blog.models import Post
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def announced():
    calls = []
    with post_published.overridden(calls.append):
        yield calls


@pytest.fixture
def coach_in_new_york(settings):
    settings.COACH_TIME_ZONE = "America/New_York"


def schedule(coach_client, when: str):
    data = {
        "title": "Spring forward",
        "slug": "spring-forward",
        "excerpt": "On time.",
        "body": "Words.",
        "tag_names": "support",
        "cta_book": "on",
        "publish_at": when,
        "action": "schedule",
    }
    return coach_client.post(reverse("blog_coach:create"), data)


def test_a_post_scheduled_in_the_coach_zone_goes_public_on_time_exactly_once(
    coach_client, client, coach_in_new_york, announced
):
    # 9:00 in New York on the day the clocks go forward there (UTC-5 before, UTC-4 after).
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=NEW_YORK), tick=False):
        schedule(coach_client, "2026-03-08T09:00")
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    assert post.publish_at == datetime(2026, 3, 8, 13, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    coach_client.logout()
    with time_machine.travel(datetime(2026, 3, 8, 8, 59, 59, tzinfo=NEW_YORK), tick=False):
        tasks.publish_due_posts()
        assert client.get(post.get_absolute_url()).status_code == 404
    with time_machine.travel(datetime(2026, 3, 8, 9, 0, 1, tzinfo=NEW_YORK), tick=False):
        tasks.publish_due_posts()
        tasks.publish_due_posts()
        tasks.publish_post(post.pk)
        assert client.get(post.get_absolute_url()).status_code == 200
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == datetime(2026, 3, 8, 9, 0, 1, tzinfo=NEW_YORK)
    assert announced == [post]


def test_the_editor_shows_the_scheduled_time_in_the_coach_zone(coach_client, coach_in_new_york):
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=NEW_YORK), tick=False):
        response = schedule(coach_client, "2026-03-08T09:00")
        page = coach_client.get(response["Location"]).content.decode()
    assert 'value="2026-03-08T09:00"' in page
    assert "8 March 2026, 09:00 (America/New_York)" in page


def test_scheduling_in_the_past_is_refused(coach_client, coach_in_new_york):
    with time_machine.travel(datetime(2026, 3, 8, 10, 0, tzinfo=NEW_YORK), tick=False):
        response = schedule(coach_client, "2026-03-08T09:00")
    assert "Choose a publication time in the future." in response.content.decode()
    assert not Post.objects.exists()


def test_a_second_claim_on_the_same_post_does_nothing(announced):
    post = PostFactory(status=Post.Status.SCHEDULED)
    assert services.post_publish(post_id=post.pk) is True
    assert services.post_publish(post_id=post.pk) is False
    assert announced == [post]


def test_a_failing_hook_does_not_undo_the_publication():
    def broken(post):
        raise RuntimeError("newsletter is down")

    post = PostFactory(status=Post.Status.SCHEDULED)
    with post_published.overridden(broken):
        assert services.post_publish(post_id=post.pk)
    post.refresh_from_db()
    assert post.is_public()


def test_drafts_are_never_published_by_the_sweeper(announced):
    post = PostFactory(status=Post.Status.DRAFT)
    tasks.publish_due_posts()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT and announced == []


def test_the_sweeper_runs_every_half_minute_in_beat():
    from coaching.celery import app

    entry = app.conf.beat_schedule["publish-due-posts"]
    assert entry["task"] == "content.blog.tasks.publish_due_posts" and entry["schedule"] <= 60
