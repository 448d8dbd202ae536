"""What the newsletter gives other apps through the hooks, and the public archive."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.hooks import erasers, exporters, portal_sections, timeline_for
from coaching import hooks
from content.newsletter import demo, integrations, sequences, services
from content.newsletter.integrations import dashboard_panel
from content.newsletter.models import (
    Campaign,
    ConsentRecord,
    Enrollment,
    Sequence,
    Subscriber,
    Suppression,
)
from tests.factories import PersonFactory
from tests.newsletter.factories import CampaignFactory, SubscriberFactory
from tests.newsletter.sequence_helpers import make_sequence

pytestmark = pytest.mark.django_db


def test_another_forms_signup_starts_the_double_opt_in(topics, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for receiver in hooks.newsletter_signup:
            receiver(
                email="b@example.org",
                first_name="Bo",
                source="booking",
                ip="10.0.0.9",
                user_agent="UA",
            )
    subscriber = Subscriber.objects.get(email="b@example.org")
    assert subscriber.status == "pending" and subscriber.source == "booking"
    assert ConsentRecord.objects.get().form_id == "booking"
    assert mail.outbox[0].to == ["b@example.org"]


def test_publishing_a_post_drafts_a_new_posts_campaign(topics):
    post = SimpleNamespace(
        title="On listening",
        excerpt="Why we interrupt.",
        get_absolute_url=lambda: "/blog/on-listening/",
    )
    for receiver in hooks.post_published:
        receiver(post)
    campaign = Campaign.objects.get()
    assert campaign.state == "draft" and campaign.subject == "New post: On listening"
    assert "https://coach.example.com/blog/on-listening/" in campaign.body_markdown
    assert [t.slug for t in campaign.topics.all()] == ["new-posts"]


def test_the_client_record_shows_joining_and_leaving_on_its_timeline(
    topics, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="Cleo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_request(
            email="cleo@example.org", topics=[topics["news"]], form_id="footer"
        )
    subscriber = services.subscriber_confirm(
        consent=ConsentRecord.objects.get(), ip=None, user_agent=""
    )
    assert subscriber.client == person.client
    services.subscriber_leave(subscriber=subscriber)
    titles = [entry.title for entry in integrations.timeline(person.client)]
    assert titles == ["Joined the newsletter", "Left the newsletter"]
    assert {"Joined the newsletter", "Left the newsletter"} <= {
        entry.title for entry in timeline_for(person.client)
    }


def test_the_client_portal_shows_her_preferences(topics, rf):
    person = PersonFactory(email="dana@example.org")
    SubscriberFactory(email="dana@example.org", topics=[topics["love-letters"]])
    assert integrations.portal_section in portal_sections
    panel = integrations.portal_section(rf.get("/account/"), person)
    assert panel.context["subscriber"].email == "dana@example.org"
    assert "/newsletter/preferences/" in panel.context["action"]


def test_export_includes_the_subscriber_and_consent_evidence(topics):
    person = PersonFactory(email="eva@example.org")
    subscriber = SubscriberFactory(email="eva@example.org")
    ConsentRecord.objects.create(
        subscriber=subscriber,
        form_id="footer",
        consent_text="t",
        consent_version="v",
        request_ip="10.1.1.1",
    )
    assert integrations.export in exporters
    data = integrations.export(person.client)
    assert data["newsletter_subscribers"][0]["email"] == "eva@example.org"
    assert data["newsletter_consents"][0]["request_ip"] == "10.1.1.1"


def test_erasure_keeps_only_a_hash_of_the_address(topics):
    person = PersonFactory(email="fay@example.org")
    subscriber = SubscriberFactory(email="fay@example.org")
    assert integrations.erase in erasers
    counts = integrations.erase(person.client)
    assert counts == {"newsletter subscribers": 1, "newsletter consent records": 0}
    assert not Subscriber.objects.exists()
    suppression = Suppression.objects.get()
    assert suppression.email_hash == subscriber.email_hash and "fay" not in suppression.email_hash


def test_the_dashboard_chart_takes_one_query_whatever_the_data(topics, rf):
    SubscriberFactory.create_batch(20)
    with CaptureQueriesContext(connection) as queries:
        panel = dashboard_panel(rf.get("/coach/"))
    assert len(queries) == 1 and panel.context["current"] == 20
    assert len(panel.context["chart"]["bars"]) == 12


def test_the_dashboard_shows_the_growth_chart(coach_client, topics):
    SubscriberFactory.create_batch(2)
    body = coach_client.get(reverse("coaching:dashboard")).content.decode()
    assert (
        '<svg class="growth-chart"' in body
        and "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]
    )


def test_the_archive_lists_published_sent_issues_only(client, topics):
    shown = CampaignFactory(subject="Shown", state="sent", published=True, slug="shown")
    CampaignFactory(subject="Draft", state="draft", published=True)
    CampaignFactory(subject="Private", state="sent", published=False)
    body = client.get(reverse("newsletter:archive")).content.decode()
    assert "Shown" in body and "Draft" not in body and "Private" not in body
    issue = client.get(shown.get_archive_url())
    assert issue.status_code == 200 and "<strong>there</strong>" in issue.content.decode()


def test_an_unpublished_issue_is_404(client, topics):
    private = CampaignFactory(state="sent", published=False)
    assert client.get(private.get_archive_url()).status_code == 404


def test_demo_seed_is_idempotent(topics):
    demo.seed()
    demo.seed()
    assert Subscriber.objects.filter(status="active").count() == 3
    assert Campaign.objects.filter(state="sent", published=True).count() == 1
    assert Campaign.objects.filter(state="draft").count() == 1
    (love,) = Sequence.objects.all()
    assert love.topic.slug == "love-letters" and love.steps.count() == 6 and not love.is_active


def test_export_and_erasure_include_the_sequences_they_are_in(topics):
    person = PersonFactory(email="gil@example.org")
    subscriber = SubscriberFactory(email="gil@example.org")
    sequence = make_sequence(delays=[0])
    sequences.sequence_enroll(
        sequence=sequence,
        subscribers=Subscriber.objects.filter(pk=subscriber.pk),
        now=timezone.now(),
    )
    (row,) = integrations.export(person.client)["newsletter_sequences"]
    assert row["sequence__name"] == "Love letters" and row["subscriber__email"] == "gil@example.org"
    integrations.erase(person.client)
    assert not Enrollment.objects.exists()
