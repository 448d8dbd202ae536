"""The coach sends a campaign from a browser: a confirmation with the number of recipients
first, no progress before it starts, merge tags previewed as a chosen subscriber; she writes one
with a merge tag (an unknown tag refused), previews it at phone width and sends a test."""

from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from content.newsletter.models import Campaign, Subscriber
from tests.conftest import DESKTOP, PHONE, wait_for
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, fresh_page, signed_in_as
from tests.factories import ClientFactory, CoachFactory, PersonFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, SubscriberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/newsletter")
SUBJECT = 'Hello {{ first_name|default:"there" }}'


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def coach_page(request, browser, live_server):
    """A fresh context, in a zone far from the coach's (Europe/London), signed in as her."""
    zone = "America/Los_Angeles"
    with fresh_page(browser, live_server.url, request.param, timezone_id=zone) as page:
        page.size = request.node.callspec.id
        signed_in_as(page, CoachFactory(), live_server.url)
        yield page


@pytest.fixture
def campaign(db):
    news = ensure_topics()["news"]
    for first_name in ("Ana", "Ben", ""):
        SubscriberFactory(first_name=first_name, topics=[news])
    SubscriberFactory(first_name="Pending", status=Subscriber.Status.PENDING, topics=[news])
    return CampaignFactory(
        subject=SUBJECT,
        body_markdown="Dear {{ first_name|default:'friend' }}, three questions for **you**.",
        topics=[news],
    )


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")  # the preview's frame laid out, not half-way
    page.screenshot(path=SHOTS / f"{name}-{page.size}.png", full_page=True)


def test_send_now_is_confirmed_with_the_number_of_recipients(coach_page, campaign):
    page = coach_page
    page.goto(campaign.get_absolute_url())
    expect(page.locator("#progress-bar")).to_have_count(0)  # nothing has started
    assert "would go to 3 subscribers" in page.locator("main").inner_text()

    page.get_by_role("link", name="Send now…").click()
    page.get_by_role("heading", name="Send this campaign now?").wait_for()
    assert "It goes now to 3 subscribers." in page.locator("main").inner_text()
    assert serious_violations(page) == [] and fits_the_screen(page)
    shot(page, "campaign-confirm")
    assert Campaign.objects.get().state == "draft" and not mail.outbox

    page.get_by_role("button", name="Send to 3 subscribers now").click()
    page.get_by_text("Sending to 3 subscribers.").wait_for()
    page.get_by_text("100% done").wait_for()
    assert Campaign.objects.get().deliveries.filter(state="sent").count() == 3
    assert sorted(m.subject for m in mail.outbox) == ["Hello Ana", "Hello Ben", "Hello there"]


def test_scheduling_is_confirmed_in_the_coachs_zone(coach_page, campaign):
    page = coach_page
    page.goto(campaign.get_absolute_url())
    page.get_by_label("Send at").fill("2030-07-01T09:30")
    page.get_by_role("button", name="Schedule…").click()
    page.get_by_role("heading", name="Schedule this campaign?").wait_for()
    text = page.locator("main").inner_text()
    assert "Monday 1 July 2030, 09:30 (BST)" in text and "3 subscribers today" in text
    assert serious_violations(page) == [] and fits_the_screen(page)
    shot(page, "campaign-schedule-confirm")
    assert Campaign.objects.get().state == "draft"

    page.get_by_role("button", name="Schedule it").click()
    page.get_by_text("Scheduled for 01 July 2030, 09:30 (BST).").wait_for()  # as she typed it
    scheduled = Campaign.objects.get()
    assert scheduled.state == "scheduled"
    assert scheduled.scheduled_at.isoformat() == "2030-07-01T08:30:00+00:00"


def test_the_preview_shows_the_chosen_subscribers_first_name(coach_page, campaign):
    page = coach_page
    page.goto(campaign.get_absolute_url())
    page.get_by_role("link", name="Preview").click()
    facts = page.locator(".preview-facts")
    assert "Hello Ana" in facts.inner_text()
    frame = page.frame_locator("iframe.email-frame")
    frame.get_by_text("Dear Ana, three questions for").wait_for()

    page.get_by_label("As received by").select_option(label=f"Ben · {ben_email()}")
    page.get_by_role("button", name="Show").click()
    frame.get_by_text("Dear Ben, three questions for").wait_for()
    assert "Hello Ben" in facts.inner_text()
    assert serious_violations(page) == [] and fits_the_screen(page)
    shot(page, "campaign-preview")

    page.get_by_label("As received by").select_option(label=f"(no first name) · {nameless()}")
    page.get_by_role("button", name="Show").click()
    frame.get_by_text("Dear friend, three questions for").wait_for()
    assert "Hello there" in facts.inner_text()


def ben_email() -> str:
    return Subscriber.objects.get(first_name="Ben").email


def nameless() -> str:
    return Subscriber.objects.get(first_name="").email


@pytest.fixture
def readers(db):
    news = ensure_topics()["news"]
    SubscriberFactory(first_name="Ana", topics=[news])
    return SubscriberFactory(email="ben@example.org", first_name="Ben", topics=[news])


def frame_width(page) -> float:
    return page.locator("iframe.email-frame").bounding_box()["width"]


def test_the_coach_writes_previews_and_tests_a_campaign_with_a_merge_tag(coach_page, readers):
    page = coach_page
    page.goto("/coach/newsletter/campaigns/new/")
    page.get_by_label("Subject").fill("Hello {{ subscriber.email }}")
    page.get_by_label("Body").fill("Dear {{ first_name|default:'friend' }}, three questions.")
    page.get_by_label("News", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("“{{ subscriber.email }}” is not a merge tag this newsletter knows").wait_for()
    assert not Campaign.objects.exists()

    page.get_by_label("Subject").fill('Hello {{ first_name|default:"there" }}')
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved.").wait_for()
    assert "no postal address in its footer" in page.locator("main").inner_text()

    page.get_by_role("link", name="Preview", exact=True).click()
    page.get_by_label("As received by").select_option(label="Ben · ben@example.org")
    page.get_by_role("button", name="Show").click()
    page.frame_locator("iframe.email-frame").get_by_text("Dear Ben, three questions.").wait_for()
    assert "Hello Ben" in page.locator(".preview-facts").inner_text()

    wide = frame_width(page)
    page.get_by_label("Desktop").focus()
    page.keyboard.press("ArrowRight")  # a radio group: the arrow keys choose
    expect(page.get_by_label("Phone")).to_be_checked()
    wait_for(lambda: frame_width(page) <= 375, timeout=5)
    assert frame_width(page) <= 375 and (frame_width(page) < wide or page.size == "phone")
    assert serious_violations(page) == [] and fits_the_screen(page)
    shot(page, "campaign-preview-phone-width")

    page.get_by_label("Send a test to").fill("me@example.org, partner@example.org")
    page.get_by_role("button", name="Send the test").click()
    page.get_by_text("A test is on its way to me@example.org, partner@example.org.").wait_for()
    assert sorted(m.to[0] for m in mail.outbox) == ["me@example.org", "partner@example.org"]
    assert {m.subject for m in mail.outbox} == {"[Test] Hello Ben"}
    assert all("Dear Ben, three questions." in m.body for m in mail.outbox)
    assert not Campaign.objects.get().deliveries.exists()
    assert Subscriber.objects.filter(status="active").count() == 2


def test_the_audience_count_follows_the_segment_as_she_picks(coach_page, readers):
    page = coach_page
    PersonFactory(client=ClientFactory(stage="client"), email=readers.email, name="Ben Stone")
    page.goto("/coach/newsletter/campaigns/new/")
    count = page.locator("#audience-count")
    assert count.inner_text() == "Choose at least one topic to see how many it reaches."
    page.get_by_label("News", exact=True).check()
    page.get_by_text("2 subscribers now.").wait_for()
    page.get_by_label("Clients", exact=True).check()
    page.get_by_text("1 subscriber now.").wait_for()
    page.get_by_label("Joined from").fill("2099-01-01")
    page.get_by_label("Joined from").blur()
    page.get_by_text("Nobody yet: no confirmed subscriber matches.").wait_for()
    page.get_by_label("Joined from").fill("")
    page.get_by_label("Joined from").blur()
    page.get_by_text("1 subscriber now.").wait_for()
    assert serious_violations(page) == [] and fits_the_screen(page)
    shot(page, "campaign-segment")

    page.get_by_label("Subject").fill("For my clients")
    page.get_by_label("Body").fill("Hello {{ first_name }}.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved.").wait_for()
    page.get_by_role("link", name="Send now…").click()
    page.get_by_role("heading", name="Send this campaign now?").wait_for()
    text = page.locator("main").inner_text()
    assert "It goes now to 1 subscriber." in text and "Clients" in text
