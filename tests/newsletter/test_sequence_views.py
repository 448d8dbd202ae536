"""The coach's sequence pages: each with a happy path, closed to everyone else, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.newsletter import sequences
from content.newsletter.models import Campaign, Enrollment, Sequence, SequenceStep, Subscriber
from tests.newsletter.factories import CampaignFactory, SubscriberFactory, bulk_subscribers
from tests.newsletter.sequence_helpers import make_sequence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]


@pytest.fixture
def sequence(topics):
    return make_sequence(topic=topics["love-letters"], delays=[0, 2])


def page_urls(sequence) -> list[str]:
    step = sequence.steps.first()
    return [
        reverse("newsletter_coach:sequences"),
        reverse("newsletter_coach:sequence_new"),
        reverse("newsletter_coach:sequence", args=[sequence.pk]),
        reverse("newsletter_coach:sequence_edit", args=[sequence.pk]),
        reverse("newsletter_coach:step_new", args=[sequence.pk]),
        reverse("newsletter_coach:step_edit", args=[sequence.pk, step.pk]),
    ]


def test_every_sequence_page_opens_for_the_coach(coach_client, sequence):
    for url in page_urls(sequence):
        assert coach_client.get(url).status_code == 200, url


def test_sequence_pages_are_404_for_clients_and_login_for_strangers(client, client_user, sequence):
    step = sequence.steps.first()
    posts = [
        reverse("newsletter_coach:sequence_active", args=[sequence.pk]),
        reverse("newsletter_coach:step_delete", args=[sequence.pk, step.pk]),
    ]
    for url in page_urls(sequence) + posts:
        assert client.get(url).status_code == 302, url
    client.force_login(client_user)
    for url in page_urls(sequence):
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"active": "0"}).status_code == 404, url
    assert Sequence.objects.get().is_active and SequenceStep.objects.count() == 2


def test_a_sequences_letter_is_not_a_campaign_page(coach_client, sequence):
    """Its letters live on the sequence's page, never in the campaigns list or its actions."""
    letter = Campaign.objects.filter(step__sequence=sequence).first()
    assert (
        coach_client.get(reverse("newsletter_coach:campaign", args=[letter.pk])).status_code == 404
    )
    assert "Letter 1" not in coach_client.get(reverse("newsletter_coach:index")).content.decode()


def test_the_coach_builds_a_series_and_turns_it_on(coach_client, topics):
    data = {"name": "Love letters", "trigger": "topic", "topic": topics["love-letters"].pk}
    response = coach_client.post(reverse("newsletter_coach:sequence_new"), data)
    sequence = Sequence.objects.get()
    assert response.url == sequence.get_absolute_url() and not sequence.is_active
    on = reverse("newsletter_coach:sequence_active", args=[sequence.pk])
    refused = coach_client.post(on, {"active": "1"}, follow=True).content.decode()
    assert "Add at least one letter" in refused

    step_url = reverse("newsletter_coach:step_new", args=[sequence.pk])
    letter = {"delay_days": 0, "subject": "Hi {{ first_name }}", "preheader": ""}
    hostile = coach_client.post(step_url, {**letter, "body_markdown": "{{ settings.SECRET_KEY }}"})
    assert "is not a merge tag this newsletter knows" in hostile.content.decode()
    assert not SequenceStep.objects.exists()
    coach_client.post(step_url, {**letter, "body_markdown": "Dear {{ first_name }}."})
    coach_client.post(on, {"active": "1"})
    sequence.refresh_from_db()
    assert sequence.is_active and sequence.steps.get().campaign.state == Campaign.State.SENDING
    page = coach_client.get(sequence.get_absolute_url()).content.decode()
    assert "Hi {{ first_name }}" in page and "Turn off" in page


def test_a_topic_series_needs_its_topic(coach_client):
    data = {"name": "Letters", "trigger": "topic"}
    response = coach_client.post(reverse("newsletter_coach:sequence_new"), data)
    assert "Choose the topic" in response.content.decode() and not Sequence.objects.exists()


def test_editing_a_delay_moves_the_waiting_letters(coach_client, sequence, topics):
    reader = SubscriberFactory()
    sequences.subscriber_follow_topics(subscriber=reader, now=timezone.now())
    enrollment = Enrollment.objects.get()
    step = sequence.steps.first()
    url = reverse("newsletter_coach:step_edit", args=[sequence.pk, step.pk])
    data = {"delay_days": 5, "subject": "Later", "preheader": "", "body_markdown": "Hello."}
    coach_client.post(url, data)
    before = enrollment.next_due_at
    enrollment.refresh_from_db()
    # Now the order is (2 days, 5 days): the first waiting letter is the one of day 2.
    assert (enrollment.next_due_at - before).days == 2


def test_the_sequence_page_runs_the_same_queries_for_many_letters_and_readers(coach_client, topics):
    def queries(sequence) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coach_client.get(sequence.get_absolute_url()).status_code == 200
        return len(captured)

    small = make_sequence(delays=[0])
    readers = Subscriber.objects.filter(pk=SubscriberFactory().pk)
    sequences.sequence_enroll(sequence=small, subscribers=readers, now=timezone.now())
    big = make_sequence(name="Big", delays=[0, 1, 2, 3, 4, 5])
    many = bulk_subscribers(40, topics["news"])
    everyone = Subscriber.objects.filter(pk__in=[s.pk for s in many])
    sequences.sequence_enroll(sequence=big, subscribers=everyone, now=timezone.now())
    queries(small)  # the first request of a session runs a few more of its own
    assert queries(big) == queries(small)
    with CaptureQueriesContext(connection) as listed:
        coach_client.get(reverse("newsletter_coach:sequences"))
    assert len(listed) <= queries(small)


def test_a_letter_held_for_complaints_says_so_and_links_to_its_form(coach_client, sequence):
    letter = Campaign.objects.filter(step__sequence=sequence).first()
    Campaign.objects.filter(pk=letter.pk).update(
        state="paused", pause_reason="Too many spam marks."
    )
    page = coach_client.get(sequence.get_absolute_url()).content.decode()
    assert "Held: Too many spam marks." in page
    assert letter.get_absolute_url() == reverse(
        "newsletter_coach:step_edit", args=[sequence.pk, letter.step.pk]
    )


def test_the_campaigns_list_runs_the_same_queries_for_one_or_many_campaigns(coach_client, topics):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            coach_client.get(reverse("newsletter_coach:index"))
        return len(captured)

    CampaignFactory()
    queries()  # the first request of a session runs a few more of its own
    one = queries()
    CampaignFactory.create_batch(5)
    assert queries() == one
