"""Where a recipient's {{ first_name }} comes from: the name they gave, else the first word of
the name on the client record with their address (a booker or client who subscribed with only
an email), else the tag's fallback."""

import pytest
from django.urls import reverse

from content.newsletter import merge
from content.newsletter.models import Subscriber
from tests.factories import ClientFactory, PersonFactory
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def person(email: str, name: str):
    return PersonFactory(client=ClientFactory(), email=email, name=name)


@pytest.mark.parametrize(
    ("given", "on_record", "expected"),
    [
        ("Ana", "Zoë Martin", "Ana"),  # what they told the newsletter wins
        ("", "Zoë Martin", "Zoë"),
        ("", "  Zoë  ", "Zoë"),
        ("", "Cleo", "Cleo"),
        ("", None, ""),  # no client record: the fallback
        ("  ", None, ""),
    ],
)
def test_the_first_name_comes_from_the_subscriber_then_the_client_record(
    given, on_record, expected
):
    subscriber = SubscriberFactory(email="Reader@Example.org", first_name=given)
    if on_record is not None:
        person("reader@example.org", on_record)  # the same address, another case
    assert merge.values_of(subscriber) == {"first_name": expected}


def test_another_persons_record_is_never_used():
    subscriber = SubscriberFactory(email="ana@example.org", first_name="")
    person("ben@example.org", "Ben Stone")
    assert merge.values_of(subscriber) == {"first_name": ""}
    assert merge.render('Hi {{ first_name|default:"there" }}', merge.values_of(subscriber)) == (
        "Hi there"
    )


def test_the_preview_names_and_uses_the_client_records_first_name(coach_client, topics):
    campaign = CampaignFactory(
        subject='Hello {{ first_name|default:"there" }}', topics=[topics["news"]]
    )
    subscriber = SubscriberFactory(email="zoe@example.org", first_name="", topics=[topics["news"]])
    person("zoe@example.org", "Zoë Martin")
    url = reverse("newsletter_coach:campaign_preview", args=[campaign.pk])
    page = coach_client.get(url, {"subscriber": subscriber.pk}).content.decode()
    assert f'<option value="{subscriber.pk}" selected>Zoë · zoe@example.org</option>' in page
    assert "<dt>Subject</dt><dd>Hello Zoë</dd>" in page


def test_an_erased_subscriber_has_no_values():
    assert merge.values_of(None) == {}
    gone = SubscriberFactory(first_name="Ana")
    Subscriber.objects.filter(pk=gone.pk).delete()
    assert merge.values_of(gone) == {"first_name": ""}
