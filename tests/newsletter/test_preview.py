"""The preview and the test send show a real recipient's merge values: the first by default,
the one the coach picks, or every fallback."""

import pytest
from django.core import mail
from django.urls import reverse

from content.newsletter.models import Subscriber
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SUBJECT = 'Hello {{ first_name|default:"there" }}'
BODY = "Dear {{ first_name|default:'friend' }}, three questions for **this week**."


@pytest.fixture
def campaign(topics):
    return CampaignFactory(subject=SUBJECT, body_markdown=BODY, topics=[topics["news"]])


@pytest.fixture
def ana_and_ben(topics):
    ana = SubscriberFactory(first_name="Ana", topics=[topics["news"]])
    ben = SubscriberFactory(first_name="Ben", topics=[topics["news"]])
    SubscriberFactory(first_name="Cleo", status=Subscriber.Status.PENDING)  # no recipient
    return ana, ben


def preview(coach_client, campaign, **params):
    url = reverse("newsletter_coach:campaign_preview", args=[campaign.pk])
    return coach_client.get(url, params).content.decode()


def preview_html(coach_client, campaign, **params):
    url = reverse("newsletter_coach:campaign_html", args=[campaign.pk])
    return coach_client.get(url, params).content.decode()


def test_the_preview_shows_the_first_recipient_by_default(coach_client, campaign, ana_and_ben):
    ana, ben = ana_and_ben
    page = preview(coach_client, campaign)
    assert "<dt>Subject</dt><dd>Hello Ana</dd>" in page
    assert "Dear Ana, three questions for **this week**." in page  # the text part
    assert f'<option value="{ana.pk}" selected>Ana · {ana.email}</option>' in page
    assert f'<option value="{ben.pk}">Ben · {ben.email}</option>' in page
    assert "Cleo" not in page  # only those it would go to
    assert f"html/?subscriber={ana.pk}" in page
    assert "Dear Ana, three questions for <strong>this week</strong>." in preview_html(
        coach_client, campaign
    )


def test_the_coach_picks_whom_to_preview_or_the_fallbacks(coach_client, campaign, ana_and_ben):
    ana, ben = ana_and_ben
    page = preview(coach_client, campaign, subscriber=ben.pk)
    assert "<dt>Subject</dt><dd>Hello Ben</dd>" in page and "Dear Ben," in page
    assert "Dear Ben," in preview_html(coach_client, campaign, subscriber=ben.pk)
    page = preview(coach_client, campaign, subscriber="none")
    assert "<dt>Subject</dt><dd>Hello there</dd>" in page and "Dear friend," in page
    assert "Dear friend," in preview_html(coach_client, campaign, subscriber="none")


def test_a_subscriber_without_a_first_name_gets_the_fallback(coach_client, campaign, topics):
    nameless = SubscriberFactory(first_name="", topics=[topics["news"]])
    page = preview(coach_client, campaign, subscriber=nameless.pk)
    assert "(no first name) · " in page and "<dt>Subject</dt><dd>Hello there</dd>" in page


def test_nobody_to_preview_shows_every_fallback(coach_client, campaign):
    page = preview(coach_client, campaign)
    assert "Nobody would receive it yet" in page and "<dd>Hello there</dd>" in page


@pytest.mark.parametrize(
    "value", ["abc", "-1", "99999999999999999999999", "1.5", "\x00", "١", " 1", "none1"]
)
def test_a_malformed_choice_previews_the_first_recipient(
    coach_client, campaign, ana_and_ben, value
):
    assert "<dd>Hello Ana</dd>" in preview(coach_client, campaign, subscriber=value)
    assert "Dear Ana," in preview_html(coach_client, campaign, subscriber=value)


def test_a_name_is_escaped_in_html_and_kept_as_typed_in_text(coach_client, campaign, topics):
    SubscriberFactory(first_name="<b>Ana</b> & co", topics=[topics["news"]])
    assert "Dear &lt;b&gt;Ana&lt;/b&gt; &amp; co," in preview_html(coach_client, campaign)
    assert "<dd>Hello &lt;b&gt;Ana&lt;/b&gt; &amp; co</dd>" in preview(coach_client, campaign)


def test_the_test_send_carries_the_previewed_values(
    coach, coach_client, campaign, ana_and_ben, django_capture_on_commit_callbacks
):
    ana, ben = ana_and_ben
    url = reverse("newsletter_coach:campaign_test", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(url, {"subscriber": ben.pk, "addresses": coach.email})
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(url, {"addresses": coach.email})
    [to_ben, to_first] = mail.outbox
    assert to_ben.to == [coach.email] and to_ben.subject == "[Test] Hello Ben"
    assert "Dear Ben," in to_ben.body and "Dear Ben," in to_ben.alternatives[0][0]
    assert to_first.subject == "[Test] Hello Ana"
    assert not campaign.deliveries.exists()
