"""Packages: bought by Checkout (the package exists once Stripe says paid), a session booked
while signed in uses one instead of paying, and cancelling gives it back."""

import pytest
from django.urls import reverse

from bookings.links import manage_token
from bookings.models import Booking
from clients.models import Package, Person
from clients.services import person_ensure_user
from payments.models import Payment
from tests.bookings.conftest import book_through_the_form
from tests.payments.conftest import TOMORROW_10, post_event, post_package_form

pytestmark = pytest.mark.usefixtures("frozen")
DAY_AFTER_10 = TOMORROW_10.replace(day=7)


def buy(client, offer, fake_stripe, email="ada@example.org") -> str:
    response = post_package_form(client, offer, email)
    assert response.status_code == 302 and response["Location"].startswith(fake_stripe.url)
    return fake_stripe.only_session()["success_url"].removeprefix("https://coach.example.com")


def test_buying_a_package_by_checkout_makes_it_once_paid(client, offer, fake_stripe):
    assert "Intimacy six" in client.get(reverse("payments:packages")).text
    done = buy(client, offer, fake_stripe)
    (request,) = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert request["line_items"]["0"]["price_data"]["unit_amount"] == "50000"
    assert (
        "intimacy" not in request["line_items"]["0"]["price_data"]["product_data"]["name"].lower()
    )
    assert "Confirming your payment" in client.get(done).text and not Package.objects.exists()
    for _ in range(2):
        post_event(client, fake_stripe.event(fake_stripe.only_session()))
    package = Package.objects.get()
    assert (package.sessions, package.paid, package.client.stage) == (2, True, "client")
    charge = Payment.objects.get()
    assert (charge.package, charge.client, charge.amount) == (package, package.client, 500)
    assert "Your package is ready" in client.get(done).text


def test_a_signed_in_client_books_with_a_credit_and_gets_it_back(
    client, offer, paid, fake_stripe, django_capture_on_commit_callbacks
):
    buy(client, offer, fake_stripe)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    person = Person.objects.get(email="ada@example.org")
    client.force_login(person_ensure_user(person=person))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(book_through_the_form(client, paid, TOMORROW_10), follow=True)
    assert "You are booked" in page.text
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED and booking.package == Package.objects.get()
    assert len(fake_stripe.sessions) == 1  # the package's only: no Checkout for the session
    portal = client.get(reverse("clients:index")).text
    assert "1 session left to book" in portal and "payment £500" in portal  # its receipt

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bookings:cancel", args=[manage_token(booking)]), {"reason": ""})
    assert "2 sessions left to book" in client.get(reverse("clients:index")).text
    assert fake_stripe.refunds == []  # nothing was paid for the session itself


def test_an_email_typed_in_the_form_does_not_spend_someone_elses_credits(
    client, offer, paid, fake_stripe
):
    buy(client, offer, fake_stripe)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    client.get(book_through_the_form(client, paid, DAY_AFTER_10))  # not signed in
    assert (
        Booking.objects.get().status == Booking.Status.HELD
        and Booking.objects.get().package is None
    )


def test_the_coach_refunds_a_package_from_the_money_view(client, coach_client, offer, fake_stripe):
    buy(client, offer, fake_stripe)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    page = coach_client.get(reverse("payments_coach:index"))
    assert "Refund £500" in page.text
    charge = Payment.objects.get()
    data = {"amount": "500.00", "idempotency_key": "once"}
    done = coach_client.post(reverse("payments_coach:refund", args=[charge.pk]), data, follow=True)
    assert "Refunded £500." in done.text and "Refund £500" not in done.text
    assert [r["amount"] for r in fake_stripe.refunds] == [50000]


def test_the_book_page_offers_the_packages_only_when_they_can_be_bought(client, offer, settings):
    page = client.get(reverse("bookings:index")).content.decode()
    assert "Intimacy six: 2 sessions" in page and reverse("payments:packages") in page
    settings.STRIPE_SECRET_KEY = ""  # without keys nothing is sold online
    assert reverse("payments:packages") not in client.get(reverse("bookings:index")).text
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    offer.is_active = False
    offer.save()
    assert "Packages of sessions" not in client.get(reverse("bookings:index")).text
