"""Packages: bought by Checkout (the package exists once Stripe says paid), a session booked
while signed in uses one instead of paying, and cancelling gives it back."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.links import manage_token
from bookings.models import Booking
from clients.models import Package, Person
from clients.services import person_ensure_user
from payments.models import Payment
from tests.bookings.conftest import book_through_the_form
from tests.bookings.factories import SessionTypeFactory
from tests.payments.conftest import TOMORROW_10, post_event, post_package_form

pytestmark = pytest.mark.usefixtures("frozen")
DAY_AFTER_10 = TOMORROW_10.replace(day=7)
IN_THREE_DAYS_10 = TOMORROW_10.replace(day=8)  # beyond the 48 hours of the refund policy


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
        page = client.get(book_through_the_form(client, paid, IN_THREE_DAYS_10), follow=True)
    assert "You are booked" in page.text
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED and booking.package == Package.objects.get()
    assert len(fake_stripe.sessions) == 1  # the package's only: no Checkout for the session
    portal = client.get(reverse("clients:index")).text
    assert "1 session left to book" in portal and "payment £500" in portal  # its receipt

    cancel = reverse("bookings:cancel", args=[manage_token(booking)])
    assert "cancelling now gives it back to your package" in client.get(cancel).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel, {"reason": ""})
    assert "2 sessions left to book" in client.get(reverse("clients:index")).text
    assert fake_stripe.refunds == []  # nothing was paid for the session itself


def booked_with_a_credit(client, offer, paid, fake_stripe, start) -> Booking:
    buy(client, offer, fake_stripe)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    client.force_login(person_ensure_user(person=Person.objects.get(email="ada@example.org")))
    client.get(book_through_the_form(client, paid, start))
    return Booking.objects.get(package__isnull=False)


def test_a_session_cancelled_after_the_refund_hours_is_not_given_back(
    client, offer, paid, fake_stripe
):
    booking = booked_with_a_credit(client, offer, paid, fake_stripe, TOMORROW_10)  # in 26 hours
    cancel = reverse("bookings:cancel", args=[manage_token(booking)])
    assert "less than 48 hours before it does not give it back" in client.get(cancel).text
    client.post(cancel, {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.credit_spent
    assert "1 session left to book" in client.get(reverse("clients:index")).text


def test_the_coach_cancelling_late_gives_the_session_back(client, coach, offer, paid, fake_stripe):
    booking = booked_with_a_credit(client, offer, paid, fake_stripe, TOMORROW_10)
    ada = booking.client.people.get().user
    client.force_login(coach)
    client.post(reverse("bookings_coach:cancel", args=[booking.pk]), {"message": ""})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and not booking.credit_spent
    client.force_login(ada)
    assert "2 sessions left to book" in client.get(reverse("clients:index")).text


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
    refund = reverse("payments_coach:refund", args=[charge.pk])
    part = coach_client.post(refund, {"amount": "100", "idempotency_key": "1"}, follow=True)
    assert "Refunded £100." in part.text and "no more sessions" not in part.text
    assert Package.objects.get().sessions == 2  # a partial refund: the coach's gesture
    done = coach_client.post(refund, {"amount": "400", "idempotency_key": "2"}, follow=True)
    assert "Refunded £400. Its package pays for no more sessions." in done.text
    assert "Refund £" not in done.text
    assert [r["amount"] for r in fake_stripe.refunds] == [10000, 40000]
    assert Package.objects.get().sessions == 0
    assert Payment.objects.refunds().filter(package=Package.objects.get()).count() == 2


def test_a_package_refunded_in_full_keeps_the_sessions_already_booked(
    client, coach, offer, paid, fake_stripe
):
    booking = booked_with_a_credit(client, offer, paid, fake_stripe, TOMORROW_10)
    charge = Payment.objects.charges().get()
    client.force_login(coach)
    client.post(
        reverse("payments_coach:refund", args=[charge.pk]),
        {"amount": "500", "idempotency_key": "k"},
    )
    package = Package.objects.get()
    assert package.sessions == 1 and booking.package == package  # the one booked stays
    client.force_login(booking.client.people.get().user)
    assert "0 sessions left to book" in client.get(reverse("clients:index")).text


def test_the_book_page_offers_the_packages_only_when_they_can_be_bought(client, offer, settings):
    page = client.get(reverse("bookings:index")).content.decode()
    assert "Intimacy six: 2 sessions" in page and reverse("payments:packages") in page
    settings.STRIPE_SECRET_KEY = ""  # without keys nothing is sold online
    assert reverse("payments:packages") not in client.get(reverse("bookings:index")).text
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    offer.is_active = False
    offer.save()
    assert "Packages of sessions" not in client.get(reverse("bookings:index")).text


def test_a_package_pays_only_for_the_session_types_its_offer_names(
    client, coach, offer, paid, fake_stripe
):
    individual = SessionTypeFactory(calendar=paid.calendar, price=Decimal("80"), name="Solo")
    client.force_login(coach)
    form = {"name": offer.name, "sessions": 2, "price": "500", "currency": "GBP",
            "session_types": [individual.pk], "is_active": "on"}  # fmt: skip
    client.post(reverse("payments_coach:offer_edit", args=[offer.pk]), form)
    assert list(offer.session_types.all()) == [individual]
    client.logout()
    assert "For a Solo." in client.get(reverse("payments:packages")).text

    booking = booked_with_a_credit(client, offer, individual, fake_stripe, TOMORROW_10)
    assert booking.session_type == individual and booking.status == Booking.Status.CONFIRMED
    client.get(book_through_the_form(client, paid, DAY_AFTER_10))  # not covered: pay online
    couples = Booking.objects.get(session_type=paid)
    assert (couples.status, couples.package) == (Booking.Status.HELD, None)
