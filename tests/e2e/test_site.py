"""The site in Chromium: a visitor finds her way; the coach signs in."""

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import html
from tests.factories import CoachFactory

pytestmark = pytest.mark.e2e


def test_a_visitor_reads_the_home_page_and_finds_the_free_call(page):
    page.goto("/")
    expect(page.get_by_role("link", name="Book a free 45-minute call").first).to_be_visible()
    page.get_by_role("link", name="Privacy policy").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy policy"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_the_home_page_has_no_serious_accessibility_violations(page):
    page.goto("/")
    assert serious_violations(page) == []


def test_the_coach_signs_in_and_reaches_her_dashboard(phone_page):
    coach = CoachFactory(email="maya@example.org")
    phone_page.goto("/accounts/login/")
    phone_page.get_by_label("Email").fill(coach.email)
    phone_page.get_by_label("Password").fill("correct horse battery")
    phone_page.get_by_role("button", name="Sign In").click()
    phone_page.wait_for_url("**/coach/")
    assert "Good to see you, Maya" in html(phone_page)
