"""Issue 17 items 1 and 2 on a phone: the coach turns check-ins on, a client answers the pulse in
her portal, and the coach sees the trend on the client page and its chart. Fresh browsers."""

import pytest
from playwright.sync_api import expect

from clients.checkins.models import CheckIn
from clients.checkins.services import checkin_submit
from tests.checkins.conftest import pulse_answers
from tests.conftest import PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import (
    coach_turns_check_ins_on,
    fits_the_screen,
    give_authenticator,
    sign_in_with_code,
)
from tests.e2e.test_messages_journey import client_signs_in, two_browsers  # noqa: F401
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("two_browsers", [PHONE], ids=["phone"], indirect=True)
def test_a_client_checks_in_and_the_coach_sees_the_trend(two_browsers):  # noqa: F811
    client_page, coach_page = two_browsers
    person = PersonFactory(name="Ana Lopez", email="ana@example.org")
    coach = CoachFactory(email="maya@example.org")
    secret = give_authenticator(coach)

    sign_in_with_code(coach_page, coach, secret)
    coach_turns_check_ins_on(coach_page, person.client_id)
    for _ in range(2):  # two earlier check-ins: money "more often my partner"
        checkin_submit(person=person, raw=pulse_answers(FIN1=1))

    client_signs_in(client_page, "ana@example.org")
    client_page.get_by_role("link", name="Check in now").click()
    question = client_page.get_by_role("group", name="Who has more say in big financial decisions")
    question.get_by_label("More often my partner").check()
    question = client_page.get_by_role("group", name="I can see and understand our shared finances")
    question.get_by_label("4 of 5, Agree").check()
    assert fits_the_screen(client_page)
    client_page.get_by_role("button", name="Save my check-in").click()
    client_page.get_by_role("heading", name="Thank you for checking in").wait_for()
    client_page.get_by_role("link", name="See your check-ins").click()
    client_page.get_by_text("3 check-ins.").wait_for()
    expect(client_page.locator("svg.spark")).to_have_count(4)
    assert fits_the_screen(client_page) and serious_violations(client_page) == []
    assert CheckIn.objects.count() == 3

    coach_page.reload()
    card = coach_page.get_by_role("region", name="Check-ins")
    card.get_by_text("Persistent:").wait_for()  # money, three times in a row
    expect(card.locator("svg.spark")).to_have_count(4)
    card.get_by_role("link", name="Open the charts and check-ins").click()
    expect(coach_page.locator(".thread-list").get_by_role("link")).to_have_count(3)
    assert fits_the_screen(coach_page) and serious_violations(coach_page) == []
