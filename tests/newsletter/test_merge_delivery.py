"""Through a real worker on Redis to an SMTP server: each recipient gets their own first name
in the subject, the text and the HTML (the one on their client record when they gave none to
the newsletter), or the fallback when there is none."""

import pytest

from content.newsletter import campaigns
from content.newsletter.models import Campaign
from tests.conftest import wait_for
from tests.factories import ClientFactory, PersonFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


@pytest.fixture
def worker(transactional_db, smtp_sink, monkeypatch, request):
    monkeypatch.setenv("NEWSLETTER_RATE_PER_SECOND", "0")
    return request.getfixturevalue("celery_worker")


def test_each_recipient_gets_their_own_first_name(worker, smtp_sink):
    news = ensure_topics()["news"]
    names = {"ana@example.org": "Ana", "zoe@example.org": "Zoë", "anon@example.org": ""}
    for email, first_name in names.items():
        SubscriberFactory(email=email, first_name=first_name, topics=[news])
    SubscriberFactory(email="mal@example.org", first_name="<i>Mal</i>", topics=[news])
    SubscriberFactory(email="kim@example.org", first_name="", topics=[news])  # booked once
    PersonFactory(client=ClientFactory(), email="Kim@example.org", name="Kim Lee")
    names["kim@example.org"] = "Kim"
    names["mal@example.org"] = "&lt;i&gt;Mal&lt;/i&gt;"
    campaign = CampaignFactory(
        subject='Hello {{ first_name|default:"there" }}',
        body_markdown="Dear {{ first_name|default:'friend' }}, three questions for **you**.",
        topics=[news],
    )
    worker.start()

    campaigns.campaign_start(campaign=campaign)  # batches are published on commit
    wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == "sent", timeout=60)

    assert len(smtp_sink.messages) == 5
    for message in smtp_sink.messages:
        name = names[message["To"]]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        if message["To"] == "mal@example.org":  # escaped in HTML only
            assert message["Subject"] == "Hello <i>Mal</i>"
            assert "Dear <i>Mal</i>, three" in text
        else:
            assert message["Subject"] == f"Hello {name or 'there'}"
            assert f"Dear {name or 'friend'}, three questions for **you**." in text
        assert f"Dear {name or 'friend'}, three questions for <strong>you</strong>." in html
        assert f">Hello {name or 'there'}</h1>" in html
        assert "{{" not in text + html + message["Subject"]
