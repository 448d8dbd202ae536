"""From the assessment to the free call in Chromium, from a fresh browser in New York: the
consent page suggests the visitor's own country, the results carry no reassurance under a
safety sign, and the call booked from the results joins the intake to the client record."""

import pytest
from playwright.sync_api import expect

from clients.intake.models import Response
from tests.bookings.factories import FreeCallFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.helpers import begin_assessment, signed_in_as
from tests.e2e.test_journey_prospect import EMAIL, book_the_first_time
from tests.factories import CoachFactory
from tests.intake.answers import PERSONA_1
from tests.intake.conftest import load_pbi

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def pbi(transactional_db):
    load_pbi()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def new_yorker(request, browser, live_server):
    """A fresh browser in New York whose language is British English (a Brit abroad)."""
    context = browser.new_context(
        base_url=live_server.url, timezone_id="America/New_York", locale="en-GB", **request.param
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def _answer_every_page(page, answers):
    while "/assessment/q/" in page.url:
        for name in page.eval_on_selector_all(
            "fieldset.question input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
        ):
            if name in answers:
                page.locator(f"input[name='{name}'][value='{answers[name]}']").check()
        last = page.get_by_role("button", name="See my results")
        (last if last.count() else page.get_by_role("button", name="Next")).click()
        page.wait_for_load_state()
    page.wait_for_url("**/assessment/results/")


def _country(page) -> str:
    select = page.get_by_label("Where do you live?")
    return select.evaluate("el => el.options[el.selectedIndex].text")


def test_a_new_yorker_is_offered_the_us_not_the_coachs_country(new_yorker):
    new_yorker.goto("/assessment/start/")  # straight from a link: the first page of the visit
    assert _country(new_yorker) == "United States"
    new_yorker.goto("/assessment/")
    expect(new_yorker.get_by_text("40 short questions")).to_be_visible()
    new_yorker.get_by_role("link", name="Begin").click()
    assert _country(new_yorker) == "United States"


def test_the_results_booked_from_join_the_intake_to_the_client_record(new_yorker):
    open_every_day(FreeCallFactory(min_notice_minutes=180).calendar)
    new_yorker.goto("/assessment/")
    begin_assessment(new_yorker, country="United States")
    _answer_every_page(new_yorker, PERSONA_1 | {"SEX3": 3})  # goes along with sex, often

    sexual = new_yorker.get_by_role("heading", name="Sexual: 75, worth talking over")
    expect(sexual).to_be_visible()
    note = new_yorker.locator(".gentle-note")
    assert "Your answers about intimacy are worth talking over" in note.inner_text()
    expect(new_yorker.get_by_text("Mostly balanced")).to_have_count(0)

    new_yorker.get_by_role("link", name="Book the free call").click()
    book_the_first_time(new_yorker)
    assert new_yorker.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    response = Response.objects.get()
    assert response.client.people.get().email == EMAIL
    assert response.person.has_consent("special_category")

    # The coach finds it on the client record's timeline.
    signed_in_as(new_yorker, CoachFactory(), new_yorker.base)
    new_yorker.goto(f"/coach/clients/{response.client_id}/")
    new_yorker.get_by_role("link", name="Intake assessment taken").click()
    expect(new_yorker.get_by_role("heading", name="Intake of Ada Lovelace")).to_be_visible()
