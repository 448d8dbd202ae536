"""The subscriber's whole path, against the live server and a real Celery worker delivering to
an SMTP sink: she joins from the footer, confirms from the email, receives a campaign, leaves
with the one-click POST her mail app would make, and receives nothing more."""

from urllib.request import Request, urlopen

import pytest
from django.conf import settings

from content.newsletter import campaigns
from content.newsletter.models import Campaign, Subscriber
from tests.conftest import wait_for
from tests.e2e.helpers import fits_the_screen, html_part, received, text_part, worker_starting
from tests.newsletter.conftest import ensure_topics, link_in
from tests.newsletter.factories import CampaignFactory, bulk_subscribers

pytestmark = pytest.mark.e2e
EMAIL = "ines@example.org"


@pytest.fixture
def news(celery_worker):
    """The topics, and the worker booting while she signs up (the email waits in its queue)."""
    with worker_starting(celery_worker):
        yield ensure_topics()["news"]


def local(url: str, live_server) -> str:
    """A link from an email, pointed at the live server instead of the site's address."""
    return url.replace(settings.SITE_URL, live_server.url)


def one_click_unsubscribe(message, live_server) -> int:
    """What a mail app does (RFC 8058): POST to the List-Unsubscribe URL, with no cookie."""
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].split(">")[0].lstrip("<")
    target = local(url, live_server)
    assert target.startswith(live_server.url)
    request = Request(target, data=b"List-Unsubscribe=One-Click", method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    # The URL is the live server's own http address (checked by `local`), no other scheme.
    with urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


def campaign_sent(subject: str, topic) -> Campaign:
    """The coach's service sends a campaign; the worker delivers it; we wait until it is done."""
    campaign = CampaignFactory(subject=subject, topics=[topic])
    campaigns.campaign_start(campaign=campaign)  # its batches are published on commit
    wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == "sent", timeout=60)
    return campaign


def test_a_subscriber_joins_confirms_reads_a_campaign_and_leaves_in_one_click(
    page, live_server, news, smtp_sink
):
    page.goto("/blog/")  # the footer's form: on every page but home, which has its own
    footer = page.locator("footer")
    footer.get_by_label("E-mail address").fill(EMAIL)
    footer.get_by_role("button", name="Join the newsletter").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")

    confirmation = wait_for(lambda: received(smtp_sink, to=EMAIL, subject_starts=""), timeout=90)
    assert "List-Unsubscribe" not in confirmation  # a transactional email, not a campaign
    page.goto(local(link_in(text_part(confirmation), "/newsletter/confirm/"), live_server))
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.get_by_role("heading", name="You are in").wait_for()
    assert fits_the_screen(page)

    bulk_subscribers(1, news, prefix="stays")  # someone who stays, to show the second went out
    campaign_sent("Spring letter", news)
    letter = received(smtp_sink, to=EMAIL, subject_starts="Spring letter")
    assert "Hello **there**" in text_part(letter)
    assert "Hello <strong>there</strong>" in html_part(letter)

    assert one_click_unsubscribe(letter, live_server) == 200
    assert Subscriber.objects.get(email=EMAIL).status == Subscriber.Status.UNSUBSCRIBED

    campaign_sent("Summer letter", news)
    assert received(smtp_sink, to="stays0@example.org", subject_starts="Summer letter")
    assert received(smtp_sink, to=EMAIL, subject_starts="Summer letter") is None
    subjects = [m["Subject"] for m in smtp_sink.messages if m["To"] == EMAIL]
    assert subjects[1].startswith("Welcome") and subjects[2:] == ["Spring letter"]
