"""Test sends: up to five addresses of the coach's choice, validated and rate limited, through
the email helper (recorded in the outbox), marked [Test], with the previewed values."""

import time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from coaching.models import OutboundEmail
from content.newsletter.forms import CampaignTestForm
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

FIVE = ["a@example.org", "b@example.org", "c@example.net", "d@example.com", "e@example.org"]


@pytest.fixture
def campaign(topics):
    return CampaignFactory(
        subject='Hello {{ first_name|default:"there" }}',
        body_markdown="Dear {{ first_name|default:'friend' }}, three questions.",
        topics=[topics["news"]],
    )


def send_test(coach_client, campaign, capture, **data):
    url = reverse("newsletter_coach:campaign_test", args=[campaign.pk])
    with capture(execute=True):
        return coach_client.post(url, data)


def test_a_test_goes_to_each_address_through_the_outbox(
    coach_client, campaign, topics, django_capture_on_commit_callbacks
):
    ben = SubscriberFactory(first_name="Ben", topics=[topics["news"]])
    response = send_test(
        coach_client, campaign, django_capture_on_commit_callbacks,
        addresses=", ".join(FIVE[:3]) + "\n" + " ; ".join(FIVE[3:]), subscriber=ben.pk,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(FIVE)
    for message in mail.outbox:
        assert message.subject == "[Test] Hello Ben"
        assert "Dear Ben, three questions." in message.body
        assert "Dear Ben, three questions." in message.alternatives[0][0]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    recorded = OutboundEmail.objects.filter(template="newsletter_test")
    assert recorded.count() == 5 and {e.status for e in recorded} == {"sent"}
    assert {e.related for e in recorded} == {campaign}
    assert not campaign.deliveries.exists()  # no stats, no recipient touched
    page = coach_client.get(response["Location"]).content.decode()
    assert "A test is on its way to a@example.org, b@example.org, c@example.net" in page


@pytest.mark.parametrize(
    ("addresses", "error"),
    [
        ("", "Give at least one address."),
        (" , ; ", "Give at least one address."),
        (" ".join([*FIVE, "f@example.org"]), "Up to 5 addresses at a time, please: you gave 6."),
        ("a@example.org, not-an-address", "“not-an-address” is not an email address like"),
        ("a@example.org\r\nBcc: x@example.org", "“Bcc:” is not an email address like"),
        ("a@example.org\x00", "Null characters are not allowed."),
        ("a@" + "x" * 2000 + ".org", "Ensure this value has at most 1280 characters"),
    ],
)
def test_bad_addresses_are_a_form_error_on_the_preview_and_nothing_goes(
    coach_client, campaign, django_capture_on_commit_callbacks, addresses, error
):
    response = send_test(
        coach_client, campaign, django_capture_on_commit_callbacks, addresses=addresses
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Please check the form." in page
    assert error in page and "<h1>Preview</h1>" in page
    assert not mail.outbox and not OutboundEmail.objects.exists()


def test_the_same_address_twice_gets_one_test():
    form = CampaignTestForm({"addresses": "Ana@Example.org a@example.org ana@example.org"})
    assert form.is_valid()
    assert form.cleaned_data["addresses"] == ["ana@example.org", "a@example.org"]
    six_but_five = " ".join([*FIVE, FIVE[0].upper()])
    assert CampaignTestForm({"addresses": six_but_five}).is_valid()


def test_test_sends_are_rate_limited_per_coach(
    coach_client, campaign, django_capture_on_commit_callbacks
):
    with time_machine.travel(time.time(), tick=False):  # all in one window of the clock
        statuses = [
            send_test(
                coach_client,
                campaign,
                django_capture_on_commit_callbacks,
                addresses="a@example.org",
            ).status_code  # fmt: skip
            for _ in range(11)
        ]
    assert statuses == [302] * 10 + [429]
    assert len(mail.outbox) == 10


def test_the_preview_offers_the_test_form_with_her_address(coach, coach_client, campaign):
    url = reverse("newsletter_coach:campaign_preview", args=[campaign.pk])
    page = coach_client.get(url).content.decode()
    assert f'name="addresses" value="{coach.email}"' in page
    assert "Up to 5 addresses, separated by commas or spaces." in page


def test_only_the_coach_sends_tests(client, campaign):
    url = reverse("newsletter_coach:campaign_test", args=[campaign.pk])
    response = client.post(url, {"addresses": "a@example.org"})
    assert response.status_code in (302, 403, 404) and not mail.outbox
