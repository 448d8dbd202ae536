"""Sending and scheduling are confirmed on a screen that states the number of recipients; the
progress shows only once sending has started."""

import pytest
from django.core import mail
from django.urls import reverse

from content.newsletter.models import Campaign, Subscriber, Suppression
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]


@pytest.fixture
def campaign(topics):
    return CampaignFactory(subject="Spring letter", topics=[topics["news"]])


@pytest.fixture
def mixed_list(topics):
    """3 who would receive it, and one of each who would not."""
    S, news = Subscriber.Status, topics["news"]
    receivers = [SubscriberFactory(topics=[news]) for _ in range(3)]
    for status in (S.PENDING, S.PAUSED, S.UNSUBSCRIBED, S.BOUNCED, S.COMPLAINED):
        SubscriberFactory(status=status, topics=[news])
    SubscriberFactory(topics=[topics["love-letters"]])
    erased = SubscriberFactory(topics=[news])  # active, but the address is suppressed
    Suppression.objects.create(email_hash=erased.email_hash, reason="erased")
    return receivers


def send_url(campaign):
    return reverse("newsletter_coach:campaign_send", args=[campaign.pk])


def test_send_now_is_a_link_to_a_confirmation_and_a_bare_post_sends_nothing(
    coach_client, campaign, mixed_list, django_capture_on_commit_callbacks
):
    detail = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert f'href="{send_url(campaign)}">Send now…</a>' in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(send_url(campaign))  # not from the confirmation's button
    assert response.status_code == 200 and "Send to 3 subscribers now" in response.content.decode()
    assert Campaign.objects.get().state == "draft" and not mail.outbox


def test_the_confirmed_number_is_the_number_sent(
    coach_client, campaign, mixed_list, django_capture_on_commit_callbacks
):
    page = coach_client.get(send_url(campaign)).content.decode()
    assert "It goes now to <strong>3 subscribers</strong>" in page
    assert '<input type="hidden" name="recipients" value="3">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(send_url(campaign), {"recipients": 3}, follow=True)
    assert "Sending to 3 subscribers." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.recipients_count == campaign.deliveries.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in mixed_list)


def test_an_audience_that_changed_since_the_confirmation_is_confirmed_again(
    coach_client, campaign, mixed_list, topics, django_capture_on_commit_callbacks
):
    SubscriberFactory(topics=[topics["news"]])  # joined while the coach read the screen
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(send_url(campaign), {"recipients": 3})
    assert response.status_code == 409
    page = response.content.decode()
    assert "The audience changed since you looked: it is now 4." in page
    assert "Send to 4 subscribers now" in page
    assert Campaign.objects.get().state == "draft" and not campaign.deliveries.exists()
    assert not mail.outbox


def test_nobody_to_send_to_offers_no_send_button(coach_client, campaign):
    page = coach_client.get(send_url(campaign)).content.decode()
    assert "Nobody would receive it now: no confirmed subscriber of News." in page
    assert 'name="recipients"' not in page


def test_a_campaign_with_an_unknown_tag_cannot_be_confirmed(coach_client, campaign, mixed_list):
    Campaign.objects.filter(pk=campaign.pk).update(body_markdown="Hi {{ subscriber.email }}")
    page = coach_client.get(send_url(campaign)).content.decode()
    assert "“{{ subscriber.email }}” is not a merge tag" in page
    assert 'name="recipients"' not in page
    coach_client.post(send_url(campaign), {"recipients": 3})
    assert Campaign.objects.get().state == "draft"


def test_scheduling_is_confirmed_with_the_time_and_the_number_today(
    coach_client, campaign, mixed_list, settings
):
    settings.COACH_TIME_ZONE = "Europe/London"
    url = reverse("newsletter_coach:campaign_schedule", args=[campaign.pk])
    detail = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert f'<form method="get" action="{url}"' in detail
    page = coach_client.get(url, {"at": "2030-07-01T09:30"}).content.decode()
    assert "<strong>Monday 1 July 2030, 09:30</strong> (BST)" in page
    assert "<strong>3 subscribers</strong> today, counted again when it goes" in page
    assert Campaign.objects.get().state == "draft"
    coach_client.post(url, {"at": "2030-07-01T09:30"})
    campaign.refresh_from_db()
    assert campaign.state == "scheduled"
    assert campaign.scheduled_at.isoformat() == "2030-07-01T08:30:00+00:00"


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        ("", "Please give a date and a time."),
        ("tomorrow", "Enter a valid date/time."),
        ("2001-01-01T10:00", "Choose a time in the future, or send it now."),
        ("0001-01-01T00:00", "Choose a time in the future, or send it now."),
    ],
)
def test_a_bad_time_goes_back_to_the_campaign_with_the_reason(coach_client, campaign, at, reason):
    url = reverse("newsletter_coach:campaign_schedule", args=[campaign.pk])
    response = coach_client.get(url, {"at": at}, follow=True)
    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert reason in response.content.decode()
    assert Campaign.objects.get().state == "draft"


def test_a_fresh_draft_shows_no_progress_only_whom_it_would_reach(
    coach_client, campaign, mixed_list, start_quietly
):
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert "progress-bar" not in page and "% done" not in page
    assert "Sent now, it would go to <strong>3 subscribers</strong>" in page
    start_quietly(campaign)
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert "0% done" in page and "would go to" not in page


def test_a_campaign_that_started_cannot_be_confirmed_again(coach_client, campaign, mixed_list):
    Campaign.objects.filter(pk=campaign.pk).update(state="sending")
    response = coach_client.get(send_url(campaign), follow=True)
    assert "This campaign is sending: it cannot go again." in response.content.decode()
