"""Issue 17 as one journey on a phone: a client checks in, answers homework, writes a journal entry
and a message; the coach sees the trend, the homework answer, the shared entry, and replies.
Fresh browsers: the client in New York, the coach in London."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clients.checkins.services import checkin_submit
from tests.checkins.conftest import pulse_answers
from tests.conftest import PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import (
    coach_assigns_homework,
    coach_turns_check_ins_on,
    fits_the_screen,
    give_authenticator,
    sign_in_with_code,
)
from tests.e2e.test_messages_journey import client_signs_in, two_browsers  # noqa: F401
from tests.factories import CoachFactory, PersonFactory
from tests.homework.conftest import seed_library

pytestmark = pytest.mark.e2e


def check_in(page) -> None:
    page.get_by_role("link", name="Check in now").click()
    question = page.get_by_role("group", name="Who has more say in big financial decisions")
    question.get_by_label("More often my partner").check()
    question = page.get_by_role("group", name="I can see and understand our shared finances")
    question.get_by_label("4 of 5, Agree").check()  # a reading needs the process item too
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_role("heading", name="Thank you for checking in").wait_for()


def answer_homework(page) -> None:
    page.get_by_role("link", name="Open your homework").click()
    page.get_by_role("link", name="Listening to understand").click()
    page.get_by_label("Your answer").fill("I plan my reply while Ben is still talking.")
    page.get_by_role("button", name="Send to Maya").click()
    page.get_by_text("Answer sent to your coach.").wait_for()


def write_in_the_journal(page) -> None:
    page.get_by_role("link", name="Open your journal").click()
    page.get_by_label("Your entry").fill("For Maya: we decided the budget together.")
    page.get_by_label("Share this entry with my coach").check()
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Entry saved.").wait_for()


def write_to_the_coach(page) -> None:
    page.get_by_role("link", name="Private: you and Maya").click()
    page.get_by_label("Your message").fill("Could we talk about money on Thursday?")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Message sent.").wait_for()


@pytest.mark.parametrize("two_browsers", [PHONE], ids=["phone"], indirect=True)
def test_between_sessions_the_client_writes_and_the_coach_follows(two_browsers):  # noqa: F811
    client_page, coach_page = two_browsers
    seed_library()
    ana = PersonFactory(name="Ana Lopez", email="ana@example.org")
    PersonFactory(client=ana.client, name="Ben Lopez", email="ben@example.org")
    ana.client.kind = "couple"
    ana.client.save(update_fields=["kind"])
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    sign_in_with_code(coach_page, coach, secret)
    coach_turns_check_ins_on(coach_page, ana.client_id)
    due = timezone.localdate() + timedelta(days=5)
    coach_assigns_homework(
        coach_page, ana.client_id, exercise="Listening to understand", to="Ana Lopez", due=due
    )
    for _ in range(2):  # two earlier check-ins: money "more often my partner"
        checkin_submit(person=ana, raw=pulse_answers(FIN1=1))

    client_signs_in(client_page, "ana@example.org")
    for step in (check_in, answer_homework, write_in_the_journal, write_to_the_coach):
        client_page.goto("/account/")
        assert fits_the_screen(client_page)
        step(client_page)
        assert fits_the_screen(client_page) and serious_violations(client_page) == []

    coach_page.goto(f"/coach/clients/{ana.client_id}/")
    coach_page.get_by_role("region", name="Check-ins").get_by_text("Persistent:").wait_for()
    journal = coach_page.get_by_role("region", name="Shared journal entries")
    journal.get_by_role("link", name="Ana Lopez").click()
    assert "we decided the budget together" in coach_page.locator(".journal-body").inner_text()
    coach_page.goto(f"/coach/clients/{ana.client_id}/")
    homework = coach_page.get_by_role("region", name="Homework")
    homework.get_by_role("link", name="Listening to understand").click()
    answer = coach_page.get_by_role("region", name="Ana Lopez's answer")
    assert "while Ben is still talking" in answer.inner_text()
    coach_page.goto("/coach/messages/")
    coach_page.get_by_role("link", name="Private thread with Ana Lopez").click()
    assert "talk about money" in coach_page.locator(".message-list").inner_text()
    coach_page.get_by_label("Your message").fill("Yes, let us start with that.")
    coach_page.get_by_role("button", name="Send reply").click()
    coach_page.get_by_text("Reply sent.").wait_for()
    assert fits_the_screen(coach_page) and serious_violations(coach_page) == []

    client_page.goto("/account/")
    client_page.get_by_role("link", name="Private: you and Maya").click()
    assert "Yes, let us start with that." in client_page.locator(".message-list").inner_text()
