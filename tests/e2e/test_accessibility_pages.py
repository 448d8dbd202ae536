"""axe-core on the pages no other browser test checks (home, posts, the booking form and its
confirmation, the assessment, the dashboard and the newsletter's sign-up pages are checked in
the per-app tests): zero serious or critical violations on each."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from content.newsletter import services
from content.newsletter.models import ConsentRecord
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import signed_in_as
from tests.factories import CoachFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import CampaignFactory, bulk_subscribers

pytestmark = pytest.mark.e2e


def booking_types(page, base):
    FreeCallFactory()
    page.goto("/book/")


def booking_day_with_times(page, base):
    open_every_day(FreeCallFactory().calendar)
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    page.goto(f"/book/free-call/?day={tomorrow}#times")
    page.locator("a.slot").first.wait_for()


def newsletter_check_inbox(page, base):
    page.goto("/newsletter/check-your-inbox/")


def newsletter_confirmed(page, base):
    topics = list(ensure_topics().values())
    services.subscriber_request(email="ines@example.org", topics=topics, form_id="footer")
    url = services.doi_url(ConsentRecord.objects.get())
    page.goto(url.replace(settings.SITE_URL, base))
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.get_by_role("heading", name="You are in").wait_for()


def newsletter_unsubscribe(page, base):
    subscriber = bulk_subscribers(1, ensure_topics()["news"])[0]
    page.goto(services.unsubscribe_path(subscriber.pk))


def newsletter_left(page, base):
    newsletter_unsubscribe(page, base)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You have left the newsletter").wait_for()


def newsletter_archive_issue(page, base):
    issue = CampaignFactory(published=True, state="sent", finished_at=timezone.now())
    page.goto("/newsletter/archive/")
    page.get_by_role("link", name=issue.subject).click()
    page.get_by_role("heading", name=issue.subject).wait_for()


def coach_newsletter(page, base):
    signed_in_as(page, CoachFactory(), base)
    CampaignFactory(state="sent", finished_at=timezone.now())
    page.goto("/coach/newsletter/")


def coach_campaign_form(page, base):
    signed_in_as(page, CoachFactory(), base)
    ensure_topics()
    page.goto("/coach/newsletter/campaigns/new/")
    page.get_by_role("button", name="Save draft").click()  # with its errors shown
    page.get_by_text("Choose at least one topic.").wait_for()


PAGES = [
    booking_types,
    booking_day_with_times,
    newsletter_check_inbox,
    newsletter_confirmed,
    newsletter_unsubscribe,
    newsletter_left,
    newsletter_archive_issue,
    coach_newsletter,
    coach_campaign_form,
]


@pytest.mark.parametrize("open_page", PAGES, ids=[f.__name__ for f in PAGES])
def test_the_page_has_no_serious_accessibility_violations(phone_page, live_server, open_page):
    open_page(phone_page, live_server.url)
    assert serious_violations(phone_page) == []
