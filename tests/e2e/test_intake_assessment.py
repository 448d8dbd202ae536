"""The intake assessment in Chromium on a phone: the whole journey, RED, accessibility."""

import pytest
from playwright.sync_api import expect

from clients.intake.models import Response
from clients.intake.services import ATTACH_PURPOSE
from coaching.tokens import read_token
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import begin_assessment
from tests.intake.answers import PERSONA_2
from tests.intake.conftest import load_pbi

pytestmark = pytest.mark.e2e
PAGES = ("context", "emotional", "financial", "social", "sexual", "together", "safety")


@pytest.fixture(autouse=True)
def pbi(transactional_db):
    load_pbi()


def _begin(page):
    page.goto("/assessment/")
    begin_assessment(page)


def _answer_pages(page, answers, on_page=None):
    for name in PAGES:
        page.wait_for_url(f"**/assessment/q/{name}/")
        if on_page:
            on_page(name)
        for radio in page.locator("fieldset.question input[type=radio]").all():
            item, value = radio.get_attribute("name"), radio.get_attribute("value")
            if item in answers and str(answers[item]) == value:
                radio.check()
        last = name == PAGES[-1]
        page.get_by_role("button", name="See my results" if last else "Next").click()
    page.wait_for_url("**/assessment/results/")


def test_she_takes_the_whole_assessment_sees_the_picture_and_books_the_call(phone_page):
    _begin(phone_page)
    _answer_pages(phone_page, PERSONA_2)
    picture = phone_page.get_by_role("img", name="Your balance profile")
    expect(picture).to_be_visible()
    expect(phone_page.get_by_role("heading", name="Where to start: financial")).to_be_visible()
    box = picture.bounding_box()
    assert box["width"] <= 390
    book = phone_page.get_by_role("link", name="Book the free call")
    href = book.get_attribute("href")
    assert href.startswith("/book/free-call/?intake=")
    with phone_page.expect_navigation():
        book.click()  # the bookings app takes it from here (and stores the token)
    token = href.split("intake=", 1)[1]
    response = Response.objects.get()
    assert read_token(ATTACH_PURPOSE, token) == str(response.public_id)
    assert response.latest_result().payload["domains"][1]["balance"] == 29


def test_a_red_answer_shows_the_support_panel_before_anything_else(phone_page):
    _begin(phone_page)
    _answer_pages(phone_page, {"SAF2": 1})
    panel = phone_page.get_by_role("heading", name="Thank you for answering", level=1)
    expect(panel).to_be_visible()
    picture = phone_page.get_by_role("img", name="Your balance profile")
    assert panel.bounding_box()["y"] < picture.bounding_box()["y"]
    expect(phone_page.get_by_role("link", name="0808 2000 247")).to_be_visible()
    expect(phone_page.get_by_role("heading", name="Invite your partner")).to_have_count(0)
    expect(phone_page.get_by_role("link", name="Quick exit").first).to_be_visible()


def test_the_assessment_pages_have_no_serious_accessibility_violations(phone_page):
    found = {}
    phone_page.goto("/assessment/")
    found["intro"] = serious_violations(phone_page)
    phone_page.get_by_role("link", name="Begin").click()
    phone_page.get_by_role("button", name="I agree, start").click()  # with errors shown
    found["consent with errors"] = serious_violations(phone_page)
    phone_page.get_by_label("I agree that my answers").check()
    phone_page.get_by_label("I am 18 or over.").check()
    phone_page.get_by_role("button", name="I agree, start").click()
    found["privacy gate"] = serious_violations(phone_page)
    phone_page.get_by_label("Yes").check()
    phone_page.get_by_role("button", name="Next").click()

    def check(name):
        if name in ("emotional", "safety"):
            found[name] = serious_violations(phone_page)

    _answer_pages(phone_page, {"SAF1": 1, "SAF5": 1}, on_page=check)
    found["results (red)"] = serious_violations(phone_page)
    phone_page.goto("/assessment/continue-later/")
    found["continue later"] = serious_violations(phone_page)
    phone_page.goto("/assessment/results/couple/")
    found["comparison"] = serious_violations(phone_page)
    assert {page: v for page, v in found.items() if v} == {}


def _submitted(answers, gate="yes"):
    from clients.intake import services

    response = services.response_start(country="UK")
    services.response_set_gate(response=response, gate=gate)
    response.answers = answers
    response.save()
    return services.response_submit(response=response)


def test_amber_and_balanced_results_have_no_serious_accessibility_violations(phone_page):
    from clients.intake.services import resume_token
    from tests.intake.answers import PERSONA_1

    found = {}
    for name, answers in (("balanced", PERSONA_1), ("amber", PERSONA_2 | {"SAF6": 1})):
        phone_page.goto(f"/assessment/resume/{resume_token(_submitted(answers))}/")
        phone_page.wait_for_url("**/assessment/results/")
        found[name] = serious_violations(phone_page)
    expect(phone_page.get_by_role("heading", name="A note before your results")).to_be_visible()
    assert {page: v for page, v in found.items() if v} == {}


def test_the_coach_reads_a_flagged_intake_and_its_pages_are_accessible(phone_page):
    from tests.factories import CoachFactory
    from tests.intake.answers import PERSONA_4

    coach = CoachFactory(email="maya@example.org")
    response = _submitted(PERSONA_4)
    phone_page.goto("/accounts/login/")
    phone_page.get_by_label("Email").fill(coach.email)
    phone_page.get_by_label("Password").fill("correct horse battery")
    phone_page.get_by_role("button", name="Sign In").click()
    phone_page.wait_for_url("**/coach/")
    expect(phone_page.get_by_role("heading", name="Intakes waiting")).to_be_visible()
    found = {"dashboard": serious_violations(phone_page)}
    phone_page.goto("/coach/intakes/")
    found["list"] = serious_violations(phone_page)
    phone_page.get_by_role("link", name="Anonymous").click()
    phone_page.wait_for_url(f"**/coach/intakes/{response.public_id}/")
    expect(phone_page.get_by_role("heading", name="Red: urgent")).to_be_visible()
    found["response"] = serious_violations(phone_page)
    phone_page.get_by_label("What was done").fill("Called her on the safe number.")
    phone_page.get_by_role("button", name="Resolve with this note").click()
    expect(phone_page.get_by_text("kept in the history")).to_be_visible()
    phone_page.goto("/coach/intakes/helplines/")
    found["helplines"] = serious_violations(phone_page)
    assert {page: v for page, v in found.items() if v} == {}


def test_a_released_comparison_has_no_serious_accessibility_violations(phone_page):
    from clients.intake.couple_services import couple_compare, couple_release
    from clients.intake.models import CouplePair
    from clients.intake.services import resume_token
    from tests.factories import CoachFactory
    from tests.intake.answers import COUPLE_A, COUPLE_B

    a = _submitted(COUPLE_A)
    pair = CouplePair.objects.create(inviter_response=a)
    pair.invitee_response = _submitted(COUPLE_B)
    pair.save()
    couple_compare(pair=pair)
    couple_release(pair=pair, user=CoachFactory())
    phone_page.goto(f"/assessment/resume/{resume_token(pair.invitee_response)}/")
    phone_page.goto("/assessment/results/couple/")
    expect(phone_page.get_by_text("Positive agreement:").first).to_be_visible()
    expect(phone_page.get_by_role("img", name="Who has more say").first).to_be_visible()
    assert serious_violations(phone_page) == []
