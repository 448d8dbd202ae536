"""The sign-in and second-factor pages in Chromium: the site's name and colours, real buttons,
no dead end to a closed sign-up, and a new coach setting up her authenticator app."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import PASSWORD, code_lasting
from tests.factories import CoachFactory

pytestmark = pytest.mark.e2e

BRAND = "rgb(138, 63, 95)"  # the default brand colour, #8a3f5f


def background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def gap_between(first, second) -> float:
    """The space between two boxes, across or down, whichever way they sit apart."""
    a, b = first.bounding_box(), second.bounding_box()
    across = b["x"] - (a["x"] + a["width"])
    down = b["y"] - (a["y"] + a["height"])
    return max(across, down)


def test_the_sign_in_page_carries_the_sites_name_colours_and_buttons(page):
    page.goto("/accounts/login/")
    assert page.locator(".brand").inner_text() == "Balanced Hearts Coaching"
    assert page.title() == "Sign in · Balanced Hearts Coaching"
    assert background(page.get_by_role("link", name="Free call")) == BRAND
    assert background(page.get_by_role("button", name="Sign in")) == BRAND
    expect(page.get_by_role("link", name="Send me a sign-in code")).to_be_visible()
    expect(page.get_by_text("sign up", exact=False)).to_have_count(0)  # sign-up is closed
    assert serious_violations(page) == []


def test_a_new_coach_sets_up_her_authenticator_app_and_signs_in_with_it(page):
    coach = CoachFactory(email="maya@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/coach/")
    page.get_by_role("link", name="Security").click()
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before a change
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("navigation", name="Coach area")).to_be_visible()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(code_lasting(secret))
    page.get_by_role("button", name="Activate").click()

    page.get_by_role("heading", name="Recovery codes").wait_for()
    download = page.get_by_role("link", name="Download codes")
    generate = page.get_by_role("link", name="Generate new codes")
    assert gap_between(download, generate) >= 8  # two buttons, not one run-together block
    assert background(download) == BRAND
    assert Authenticator.objects.filter(user=coach, type=Authenticator.Type.TOTP).exists()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/2fa/authenticate/**")
    assert page.locator(".brand").inner_text() == "Balanced Hearts Coaching"
    assert background(page.get_by_role("button", name="Sign in")) == BRAND
    page.get_by_label("Code:").fill(code_lasting(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/coach/")
