"""Issue 17 item 3: the coach assigns an exercise to a couple; one partner drafts, then sends and
shares the answer from a phone; the coach reads it. Fresh browsers, the client in New York."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import (
    coach_assigns_homework,
    fits_the_screen,
    give_authenticator,
    sign_in_with_code,
)
from tests.e2e.test_messages_journey import client_signs_in, two_browsers  # noqa: F401
from tests.factories import CoachFactory, PersonFactory
from tests.homework.conftest import seed_library

pytestmark = pytest.mark.e2e


def test_a_client_answers_homework_and_the_coach_reads_it(two_browsers, tmp_path):  # noqa: F811
    client_page, coach_page = two_browsers
    seed_library()
    ana = PersonFactory(name="Ana Lopez", email="ana@example.org")
    PersonFactory(client=ana.client, name="Ben Lopez", email="ben@example.org")
    ana.client.kind = "couple"
    ana.client.save(update_fields=["kind"])
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    sign_in_with_code(coach_page, coach, secret)
    due = timezone.localdate() + timedelta(days=5)
    coach_assigns_homework(
        coach_page, ana.client_id, exercise="Listening to understand", to="Both partners", due=due
    )

    client_signs_in(client_page, "ana@example.org")
    client_page.get_by_role("link", name="Open your homework").click()
    client_page.get_by_role("link", name="Listening to understand").click()
    expect(client_page.get_by_role("heading", name="Questions to reflect on")).to_be_visible()
    client_page.get_by_label("Your answer").fill("I plan my reply while Ben talks.")
    client_page.get_by_role("button", name="Save draft").click()
    client_page.get_by_text("Draft saved.").wait_for()
    client_page.get_by_label("Your answer").fill("I plan my reply while Ben is still talking.")
    client_page.get_by_label("Share with my partner").check()
    client_page.get_by_role("button", name="Send to Maya").click()
    client_page.get_by_text("Answer sent to your coach.").wait_for()
    client_page.screenshot(path=str(tmp_path / "client.png"), full_page=True)
    assert fits_the_screen(client_page) and serious_violations(client_page) == []

    coach_page.goto(f"/coach/clients/{ana.client_id}/")
    card = coach_page.get_by_role("region", name="Homework")
    assert "still talking" not in card.inner_text()  # lists never show an answer
    card.get_by_role("link", name="Listening to understand").click()
    answer = coach_page.get_by_role("region", name="Ana Lopez's answer")
    assert "I plan my reply while Ben is still talking." in answer.inner_text()
    assert "Shared with the partner" in answer.inner_text()
    coach_page.screenshot(path=str(tmp_path / "coach.png"), full_page=True)
    assert fits_the_screen(coach_page) and serious_violations(coach_page) == []
