"""The coach's pages: each with a happy path, and closed to everyone else."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content.newsletter.models import Campaign, Subscriber, Topic
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unlimited_rate")]


@pytest.fixture
def campaign(topics):
    return CampaignFactory(subject="Spring letter", topics=[topics["news"]])


def coach_urls(campaign):
    pk = campaign.pk
    names = ["campaign", "campaign_edit", "campaign_progress", "campaign_preview", "campaign_html"]
    names += ["campaign_send"]
    urls = [reverse("newsletter_coach:index"), reverse("newsletter_coach:campaign_new")]
    urls += [reverse(f"newsletter_coach:{name}", args=[pk]) for name in names]
    urls += [reverse("newsletter_coach:subscribers"), reverse("newsletter_coach:topics")]
    return urls


def test_every_coach_page_opens_for_the_coach(coach_client, campaign):
    for url in coach_urls(campaign):
        assert coach_client.get(url).status_code == 200, url


def test_coach_pages_are_404_for_clients_and_login_for_strangers(client, client_user, campaign):
    for url in coach_urls(campaign):
        assert client.get(url).status_code == 302, url
    client.force_login(client_user)
    for url in coach_urls(campaign):
        assert client.get(url).status_code == 404, url
    send = reverse("newsletter_coach:campaign_send", args=[campaign.pk])
    post = client.post(send, {"recipients": 0})
    assert post.status_code == 404 and Campaign.objects.get().state == "draft"


def test_the_coach_writes_a_campaign_with_markdown_and_an_image(coach_client, topics):
    body = "# Hi\n\n![Us](https://example.org/a.jpg)\n\n<script>x</script>"
    data = {
        "subject": "Hello",
        "preheader": "Hi",
        "topics": [topics["news"].pk],
        "body_markdown": body,
    }
    response = coach_client.post(reverse("newsletter_coach:campaign_new"), data)
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    html = coach_client.get(reverse("newsletter_coach:campaign_html", args=[campaign.pk]))
    body = html.content.decode()
    assert '<img alt="Us" src="https://example.org/a.jpg">' in body and "<script>" not in body


def test_the_coach_sends_herself_a_test(
    coach_client, coach, campaign, django_capture_on_commit_callbacks
):
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="addresses" value="{coach.email}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("newsletter_coach:campaign_test", args=[campaign.pk])
        coach_client.post(url, {"addresses": coach.email})
    [message] = mail.outbox
    assert message.to == [coach.email] and message.subject == "[Test] Spring letter"
    assert not campaign.deliveries.exists()


def test_send_now_sends_and_shows_progress(
    coach_client, campaign, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(3)
    url = reverse("newsletter_coach:campaign_send", args=[campaign.pk])
    assert "Send to 3 subscribers now" in coach_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(url, {"recipients": 3})
    assert len(mail.outbox) == 3
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert '<progress id="progress-bar" max="100" value="100">' in page
    progress = coach_client.get(reverse("newsletter_coach:campaign_progress", args=[campaign.pk]))
    assert progress.json()["sent"] == 3 and progress.json()["remaining"] == 0


def test_a_sending_campaign_page_refreshes_itself_without_javascript(coach_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="sending")
    page = coach_client.get(campaign.get_absolute_url()).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "data-progress-live" in page and "newsletter.js" in page


def test_scheduling_takes_the_coachs_wall_clock_time(coach_client, campaign, settings):
    settings.COACH_TIME_ZONE = "Europe/Berlin"
    url = reverse("newsletter_coach:campaign_schedule", args=[campaign.pk])
    coach_client.post(url, {"at": "2030-07-01T09:30"})
    campaign.refresh_from_db()
    assert campaign.state == "scheduled"
    assert campaign.scheduled_at.isoformat() == "2030-07-01T07:30:00+00:00"


def test_scheduling_in_the_past_is_refused(coach_client, campaign):
    url = reverse("newsletter_coach:campaign_schedule", args=[campaign.pk])
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = coach_client.post(url, {"at": past}, follow=True)
    assert "Choose a time in the future" in response.content.decode()
    assert Campaign.objects.get().state == "draft"


def test_a_sent_campaign_cannot_be_edited(coach_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="sent")
    response = coach_client.post(
        reverse("newsletter_coach:campaign_edit", args=[campaign.pk]), {"subject": "x"}
    )
    assert response.status_code == 302 and Campaign.objects.get().subject == "Spring letter"


def test_subscribers_are_searchable_and_filterable(coach_client, topics):
    SubscriberFactory(email="amara@example.org", topics=[topics["news"]])
    SubscriberFactory(email="jonas@example.org", topics=[topics["love-letters"]])
    SubscriberFactory(email="amy@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    url = reverse("newsletter_coach:subscribers")
    body = coach_client.get(url, {"q": "am"}).content.decode()
    assert "amara@" in body and "amy@" in body
    body = coach_client.get(url, {"q": "amara"}).content.decode()
    assert "amara@" in body and "jonas@" not in body
    body = coach_client.get(url, {"q": "am", "status": "active"}).content.decode()
    assert "amara@" in body and "amy@" not in body
    body = coach_client.get(url, {"topic": "love-letters"}).content.decode()
    assert "jonas@" in body and "amara@" not in body


def test_the_coach_adds_renames_and_retires_a_topic(coach_client):
    coach_client.post(reverse("newsletter_coach:topics"), {"name": "Workshops", "description": ""})
    topic = Topic.objects.get(name="Workshops")
    edit = reverse("newsletter_coach:topic_edit", args=[topic.pk])
    coach_client.post(edit, {"name": "Retreats", "description": "Twice a year"})
    coach_client.post(reverse("newsletter_coach:topic_retire", args=[topic.pk]), {"retire": "1"})
    topic.refresh_from_db()
    assert topic.name == "Retreats" and topic.retired_at is not None
    assert "Retreats" not in coach_client.get(reverse("newsletter:index")).content.decode()


def test_export_streams_a_csv_that_defuses_formulas(coach_client, topics):
    SubscriberFactory(email="a@example.org", first_name="=HYPERLINK(1)", topics=[topics["news"]])
    response = coach_client.get(reverse("newsletter_coach:subscribers"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == "email,first_name,status,topics,subscribed_at,left_at"
    assert "a@example.org,'=HYPERLINK(1),active,news," in text


def upload(coach_client, text):
    file = io.BytesIO(text.encode())
    file.name = "list.csv"
    return coach_client.post(
        reverse("newsletter_coach:subscribers_import"), {"file": file}, follow=True
    )


def test_import_subscribes_rows_with_consent_and_asks_the_others(
    coach_client, topics, django_capture_on_commit_callbacks
):
    from content.newsletter.services import subscriber_leave

    left = SubscriberFactory(email="left@example.org")
    subscriber_leave(subscriber=left)
    csv = (
        "email,first_name,topics,consent\nyes@example.org,Yas,news,yes\n"
        "maybe@example.org,,,\nleft@example.org,,,yes\nbad,,,yes\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(coach_client, csv)
    assert (
        "1 subscribed, 1 asked to confirm, 1 left earlier and were not added"
        in response.content.decode()
    )
    yes = Subscriber.objects.get(email="yes@example.org")
    assert yes.status == "active" and [t.slug for t in yes.topics.all()] == ["news"]
    assert yes.consents.get().form_id == "import"
    assert Subscriber.objects.get(email="maybe@example.org").status == "pending"
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"
    assert [m.to for m in mail.outbox] == [["maybe@example.org"]]


def test_the_coach_pauses_resumes_and_cancels_from_the_campaign_page(coach_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="sending")
    page = coach_client.get(campaign.get_absolute_url()).text
    pause = reverse("newsletter_coach:campaign_pause", args=[campaign.pk])
    assert f'action="{pause}"' in page
    assert "Paused." in coach_client.post(pause, follow=True).text
    resume = reverse("newsletter_coach:campaign_resume", args=[campaign.pk])
    assert "Sending again." in coach_client.post(resume, follow=True).text
    cancel = reverse("newsletter_coach:campaign_cancel", args=[campaign.pk])
    assert "Cancelled." in coach_client.post(cancel, follow=True).text
    assert Campaign.objects.get().state == "cancelled"
    refused = coach_client.post(resume, follow=True).text
    assert "Only a paused campaign can resume." in refused
    assert Campaign.objects.get().state == "cancelled"
