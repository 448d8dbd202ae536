"""The coach picks a segment: the live count endpoint, the count in the form without
JavaScript, the saved segment on the campaign's page and its send confirmation."""

import pytest
from django.urls import reverse

from clients.models import Client
from content.newsletter.models import Campaign
from tests.factories import ClientFactory, PersonFactory
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
COUNT = reverse("newsletter_coach:audience_count")


@pytest.fixture
def readers(topics):
    news = topics["news"]
    for n in range(3):
        SubscriberFactory(email=f"reader{n}@example.org", topics=[news])
    client = SubscriberFactory(email="client@example.org", topics=[news])
    PersonFactory(client=ClientFactory(stage=Client.Stage.CLIENT), email=client.email)
    return news


def test_the_count_follows_the_coachs_choices(coach_client, readers):
    everyone = coach_client.get(COUNT, {"topics": readers.pk}).json()
    assert everyone == {"count": 4, "text": "4 subscribers now."}
    clients = coach_client.get(COUNT, {"topics": readers.pk, "stages": "client"}).json()
    assert clients == {"count": 1, "text": "1 subscriber now."}
    nobody = coach_client.get(COUNT, {"topics": readers.pk, "stages": "alumni"}).json()
    assert nobody["count"] == 0 and nobody["text"].startswith("Nobody yet")


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({}, "Choose at least one topic to see how many it reaches."),
        ({"topics": "abc"}, "Choose at least one topic to see how many it reaches."),
        ({"stages": "staff"}, "Select a valid choice. staff is not one of the available"),
        ({"assessment": "maybe"}, "Select a valid choice. maybe is not one of the available"),
        ({"joined_from": "2026-13-01"}, "Enter a valid date."),
        ({"joined_from": "2026-07-02", "joined_to": "2026-07-01"}, "on or after the first one"),
        ({"joined_to": "\x00"}, "Enter a valid date."),
    ],
)
def test_a_bad_choice_says_what_to_fix(coach_client, readers, params, text):
    params = {"topics": readers.pk} | params if "topics" not in params and params else params
    response = coach_client.get(COUNT, params)
    assert response.status_code == 200
    assert response.json()["count"] is None and text in response.json()["text"]


def test_only_the_coach_counts(client, readers):
    response = client.get(COUNT, {"topics": readers.pk})
    assert response.status_code in (302, 403, 404) and b"count" not in response.content


def test_the_segment_is_saved_and_shown_on_the_campaign_and_its_confirmation(coach_client, readers):
    data = {"subject": "For my clients", "preheader": "", "body_markdown": "Hi.",
            "topics": [readers.pk], "stages": ["client", "alumni"], "assessment": "",
            "joined_from": "2020-01-01", "joined_to": ""}  # fmt: skip
    response = coach_client.post(reverse("newsletter_coach:campaign_new"), data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.stages == ["client", "alumni"]
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert "it would go to <strong>1 subscriber</strong>" in page
    assert "Clients, Alumni; Joined from 01 January 2020" in page
    confirm = reverse("newsletter_coach:campaign_send", args=[campaign.pk])
    page = coach_client.get(confirm).content.decode()
    assert "It goes now to <strong>1 subscriber</strong>." in page
    assert "<dt>Only</dt><dd>Clients, Alumni; Joined from 01 January 2020</dd>" in page
    edit = coach_client.get(reverse("newsletter_coach:campaign_edit", args=[campaign.pk]))
    assert 'It reaches: <output id="audience-count" aria-live="polite">1 subscriber now.' in (
        edit.content.decode()
    )


def test_without_javascript_a_form_with_errors_still_counts_its_segment(coach_client, readers):
    data = {"subject": "{{ nope }}", "body_markdown": "Hi.", "topics": [readers.pk],
            "stages": ["subscriber"]}  # fmt: skip
    page = coach_client.post(reverse("newsletter_coach:campaign_new"), data).content.decode()
    assert "is not a merge tag" in page
    assert '<output id="audience-count" aria-live="polite">3 subscribers now.</output>' in page
    assert 'value="subscriber" id="id_stages_0" checked' in page  # her choice is kept


def test_a_new_campaign_asks_for_a_topic_first(coach_client, topics):
    page = coach_client.get(reverse("newsletter_coach:campaign_new")).content.decode()
    assert "Choose at least one topic to see how many it reaches." in page
    assert 'data-audience-url="/coach/newsletter/campaigns/audience/"' in page


def test_a_stage_written_by_other_means_is_refused(topics):
    from django.core.exceptions import ValidationError

    campaign = CampaignFactory(stages=["staff"])
    with pytest.raises(ValidationError):
        campaign.full_clean()
