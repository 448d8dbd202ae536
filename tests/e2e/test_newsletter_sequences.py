"""The coach writes a sequence's letter, turns the series on and reads each letter's figures."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.newsletter import sequences
from content.newsletter.models import Sequence, Subscriber
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, signed_in_as
from tests.factories import CoachFactory
from tests.newsletter.conftest import ensure_topics
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.sequence_helpers import make_sequence

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/sequences"


def test_the_coach_adds_a_letter_turns_the_series_on_and_sees_its_figures(page):
    topics = ensure_topics()
    sequence = make_sequence(topic=topics["love-letters"], delays=[0, 2], active=False)
    readers = Subscriber.objects.filter(pk__in=[SubscriberFactory().pk, SubscriberFactory().pk])
    sequences.sequence_enroll(sequence=sequence, subscribers=readers, now=timezone.now())
    signed_in_as(page, CoachFactory(), page.base)
    width = page.viewport_size["width"]

    page.goto("/coach/newsletter/")
    page.get_by_role("link", name="Sequences").click()
    page.get_by_role("link", name="Love letters").click()
    page.get_by_role("link", name="Add a letter").click()
    page.get_by_label("Days after joining").fill("5")
    page.get_by_label("Subject").fill("Letter three for {{ first_name }}")
    page.get_by_label("Body").fill('Dear {{ first_name|default:"you" }}, {{ secret }}')
    page.get_by_role("button", name="Save letter").click()
    page.get_by_text("is not a merge tag this newsletter knows").wait_for()
    page.get_by_label("Body").fill('Dear {{ first_name|default:"you" }}, a third letter.')
    page.get_by_role("button", name="Save letter").click()
    page.get_by_text("Letter saved.").wait_for()
    page.get_by_role("button", name="Turn on").click()
    page.get_by_text("The sequence is on.").wait_for()

    table = page.get_by_role("region", name="Letters of the sequence")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(4)  # the header and three letters
    assert "Letter three for {{ first_name }}" in rows.nth(3).inner_text()
    assert rows.nth(1).get_by_role("cell").nth(4).inner_text() == "2"  # both waiting
    page.screenshot(path=f"{SHOTS}/sequence-{width}.png", full_page=True)
    assert fits_the_screen(page) and serious_violations(page) == []
    page.get_by_role("link", name="Sequences").first.click()
    page.get_by_role("cell", name="Love letters", exact=True).wait_for()
    assert fits_the_screen(page) and serious_violations(page) == []
    page.screenshot(path=f"{SHOTS}/sequences-{width}.png", full_page=True)
    assert Sequence.objects.get().is_active
