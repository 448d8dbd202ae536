"""Issue 14 items 4 and 6 in Chromium, on a phone and on a desktop, from a fresh context in a zone
other than the coach's: a visitor finds a package under the session types, is asked to sign the
coaching agreement first (in a new tab, the form kept), pays on the (local, fake) Checkout page,
then, signed in, books a session the package covers without paying again."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from bookings.models import Booking
from clients.agreements.models import Signature
from clients.models import Package, Person
from payments.models import PackageOffer
from tests.agreements.conftest import seed_first_version
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.conftest import DESKTOP, PHONE
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, fresh_page, html, signed_in_as

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def visitor(request, browser, stripe_site):
    zone = "America/New_York"  # the coach's is Europe/London
    with fresh_page(browser, stripe_site.url, request.param, timezone_id=zone) as page:
        yield page


def test_a_visitor_signs_buys_a_package_and_books_with_it(visitor, stripe_site):
    page = visitor
    seed_first_version()
    couples = SessionTypeFactory(name="Couples session", price=120, min_notice_minutes=180)
    open_every_day(couples.calendar)
    offer = PackageOffer.objects.create(name="Six together", sessions=6, price=Decimal("600"))
    offer.session_types.add(couples)

    page.goto("/book/")
    assert "Six together: 6 sessions · £600 (for a Couples session)" in html(page)
    page.get_by_role("link", name="See the packages").click()
    expect(page.get_by_text("For a Couples session.")).to_be_visible()
    page.get_by_role("link", name="Buy Six together").click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("I agree to be contacted about this package.").check()
    page.get_by_role("button", name="Pay £600").click()

    expect(page.get_by_text("Please sign the coaching agreement first.")).to_be_visible()
    assert page.get_by_label("Your name").input_value() == "Ada Lovelace"  # nothing lost
    assert fits_the_screen(page) and serious_violations(page) == []
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Ada Lovelace: read and sign").click()
    agreement = opened.value
    agreement.get_by_label("Type your full name to sign").fill("Ada Lovelace")
    agreement.get_by_label("I have read this agreement and I agree to it").check()
    agreement.get_by_role("button", name="Sign the agreement").click()
    agreement.get_by_text("Thank you: you signed version 1.").wait_for()
    agreement.close()
    assert Signature.objects.filter(person__email="ada@example.org").count() == 1

    page.get_by_label("I agree to be contacted about this package.").check()
    page.get_by_role("button", name="Pay £600").click()
    expect(page.get_by_role("heading", name="Pay")).to_be_visible()  # Stripe's (fake) page
    page.get_by_role("button", name="Pay").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your package is ready"
    assert fits_the_screen(page) and serious_violations(page) == []
    package = Package.objects.get()
    assert (package.sessions, package.paid) == (6, True)

    ada = Person.objects.get(email="ada@example.org")
    signed_in_as(page, ada.user or _account(ada), stripe_site.url)
    page.goto(f"/book/{couples.slug}/")
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    assert page.get_by_label("Your email").input_value() == "ada@example.org"  # from the account
    expect(
        page.get_by_text(
            "Nothing to pay: this uses one of the 6 sessions left in your package (Six together)."
        )
    ).to_be_visible()
    page.get_by_label("I agree to be contacted about this booking.").check()
    page.get_by_role("button", name="Book this time").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked, Ada Lovelace"
    assert Booking.objects.get().package == package  # no second trip to Checkout
    page.goto("/account/")
    expect(page.get_by_text("5 sessions left to book")).to_be_visible()
    assert fits_the_screen(page) and serious_violations(page) == []


def _account(person):
    from clients.services import person_ensure_user

    return person_ensure_user(person=person)
