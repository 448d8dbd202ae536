"""Adding topics (one name once, even from two tabs at once); publishing to the archive."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from content.newsletter.campaigns import campaign_publish
from content.newsletter.models import TOPIC_NAME_TAKEN, Campaign, Topic
from content.newsletter.services import topic_create
from tests.newsletter.factories import CampaignFactory

TOPICS = reverse("newsletter_coach:topics")


@pytest.mark.django_db
def test_topic_create_gives_a_free_slug_and_the_last_place():
    Topic.objects.create(name="Retreats", slug="workshops")
    topic = topic_create(name="Workshops", description="Twice a year")
    assert (topic.slug, topic.description) == ("workshops-2", "Twice a year")
    assert topic.position == Topic.objects.count() - 1


@pytest.mark.django_db
def test_topic_create_refuses_a_name_taken_in_another_case():
    """What the loser of a race meets: its form saw the name free, the row is there now."""
    Topic.objects.create(name="Workshops", slug="workshops")
    with pytest.raises(ValidationError) as refused:
        topic_create(name="WORKSHOPS")
    assert refused.value.messages == [TOPIC_NAME_TAKEN]
    assert Topic.objects.filter(name__iexact="workshops").count() == 1


@pytest.mark.django_db
def test_the_form_refuses_a_topic_name_already_there(coach_client):
    Topic.objects.create(name="Workshops", slug="workshops")
    response = coach_client.post(TOPICS, {"name": "workshops", "description": "Kept"})
    assert response.status_code == 200 and TOPIC_NAME_TAKEN in response.text
    assert 'value="workshops"' in response.text and "Kept" in response.text  # nothing lost
    assert Topic.objects.filter(name__iexact="workshops").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_adding_one_topic_at_once_make_one_topic_and_a_clear_error(coach):
    """Both requests pass the form's check before either inserts (a barrier holds them at
    `pre_save`); the database decides and the loser sees a form error, not a server error."""
    barrier = threading.Barrier(2, timeout=10)

    def both_checked(sender, **kwargs):
        barrier.wait()

    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(coach)
    responses: list = [None, None]

    def add(index: int, name: str) -> None:
        try:
            responses[index] = browsers[index].post(TOPICS, {"name": name, "description": ""})
        except Exception as exc:  # a server error: the assertion below shows it
            responses[index] = exc
        finally:
            connection.close()

    pre_save.connect(both_checked, sender=Topic)
    try:
        threads = [threading.Thread(target=add, args=pair) for pair in enumerate(["Ws", "wS"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pre_save.disconnect(both_checked, sender=Topic)

    statuses = sorted(str(getattr(response, "status_code", response)) for response in responses)
    assert statuses == ["200", "302"]
    [refused] = [response for response in responses if response.status_code == 200]
    assert TOPIC_NAME_TAKEN in refused.text
    assert Topic.objects.filter(name__iexact="ws").count() == 1


@pytest.mark.django_db
def test_campaign_publish_sets_the_archive_flag_either_way(topics):
    campaign = CampaignFactory(state="sent")
    campaign_publish(campaign=campaign, published=True)
    campaign_publish(campaign=campaign, published=True)  # asked twice: still published
    assert Campaign.objects.get().published
    campaign_publish(campaign=campaign, published=False)
    assert not Campaign.objects.get().published


@pytest.mark.django_db
def test_a_double_click_on_publish_leaves_the_issue_in_the_archive(coach_client, client, topics):
    campaign = CampaignFactory(subject="Spring letter", state="sent", slug="spring")
    detail = coach_client.get(campaign.get_absolute_url()).text
    assert 'name="published" value="true"' in detail and "Publish in the archive" in detail
    url = reverse("newsletter_coach:campaign_publish", args=[campaign.pk])
    coach_client.post(url, {"published": "true"})
    response = coach_client.post(url, {"published": "true"}, follow=True)
    assert "Published in the archive." in response.text
    assert "Spring letter" in client.get(reverse("newsletter:archive")).text
    response = coach_client.post(url, {"published": "false"}, follow=True)
    assert "Removed from the archive." in response.text
    assert "Spring letter" not in client.get(reverse("newsletter:archive")).text


@pytest.mark.django_db
def test_publishing_a_draft_says_when_it_will_show(coach_client, topics):
    campaign = CampaignFactory(state="draft")
    url = reverse("newsletter_coach:campaign_publish", args=[campaign.pk])
    response = coach_client.post(url, {"published": "true"}, follow=True)
    assert "It will appear in the archive once it is sent." in response.text
    assert Campaign.objects.get().published


@pytest.mark.django_db
def test_only_the_coach_publishes_or_adds_topics(client, client_user, topics):
    campaign = CampaignFactory(state="sent")
    client.force_login(client_user)
    url = reverse("newsletter_coach:campaign_publish", args=[campaign.pk])
    assert client.post(url, {"published": "true"}).status_code == 404
    assert client.post(TOPICS, {"name": "Mine"}).status_code == 404
    assert not Campaign.objects.get().published and not Topic.objects.filter(name="Mine")
