"""A visitor books a paid session in Chromium, pays on a (local, fake) Stripe Checkout page, comes
back to her confirmation; the coach refunds it from the booking's page. Only Stripe's signed
webhook, sent by the fake Checkout page as Stripe would, confirms the booking."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from bookings.models import Booking
from payments.models import Payment
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, fresh_page, html, signed_in_as
from tests.factories import CoachFactory
from tests.payments.conftest import post_event

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def visitor(request, browser, stripe_site):
    with fresh_page(browser, stripe_site.url, request.param) as page:
        yield page


def test_a_visitor_pays_for_a_session_and_the_coach_refunds_it(visitor, browser, stripe_site):
    page = visitor
    session_type = SessionTypeFactory(name="Coaching session", price=95, min_notice_minutes=180)
    open_every_day(session_type.calendar)

    page.goto("/book/")
    page.get_by_role("link", name="Choose a time for Coaching session").click()
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("I agree to be contacted about this booking.").check()
    assert "Next, you pay £95 by card" in html(page)
    page.get_by_role("button", name="Book this time").click()

    expect(page.get_by_role("heading", name="Pay")).to_be_visible()  # Stripe's (fake) page
    assert "95.00 GBP" in html(page)
    assert Booking.objects.get().status == Booking.Status.HELD
    page.get_by_role("button", name="Pay").click()

    assert page.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    assert "Paid online by card" in html(page)
    assert serious_violations(page) == [] and fits_the_screen(page)
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED and Payment.objects.count() == 1

    coach_context = browser.new_context(base_url=stripe_site.url, **DESKTOP)
    coach = coach_context.new_page()
    signed_in_as(coach, CoachFactory(), stripe_site.url)
    coach.goto(f"/coach/bookings/{booking.pk}/")
    coach.get_by_label("Refund of the £95 payment (GBP; up to 95.00)").fill("95")
    coach.get_by_role("button", name="Refund").click()
    expect(coach.locator("body")).to_contain_text("Refunded £95.")
    assert serious_violations(coach) == []
    coach.goto("/coach/payments/")
    assert "−£95" in html(coach)
    coach_context.close()
    assert Payment.objects.refunds().get().amount == 95


def test_back_before_the_webhook_the_page_waits_then_shows_the_confirmation(
    browser, stripe_site, fake_stripe
):
    fake_stripe.webhook_later = True
    session_type = SessionTypeFactory(name="Coaching session", price=95, min_notice_minutes=180)
    open_every_day(session_type.calendar)
    context = browser.new_context(base_url=stripe_site.url, **DESKTOP)
    page = context.new_page()
    page.goto(f"/book/{session_type.slug}/")
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("I agree to be contacted about this booking.").check()
    page.get_by_role("button", name="Book this time").click()
    page.get_by_role("button", name="Pay").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Confirming your payment"
    assert serious_violations(page) == []
    assert Booking.objects.get().status == Booking.Status.HELD
    post_event(Client(), fake_stripe.event(fake_stripe.only_session()))  # Stripe, a bit late
    heading = page.get_by_role("heading", level=1, name="You are booked, Ada Lovelace")
    heading.wait_for(timeout=15_000)  # the page looked again by itself
    context.close()
