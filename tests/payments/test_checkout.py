"""A paid time: held, paid on Stripe's Checkout, confirmed only by Stripe's signed webhook, once."""

from datetime import timedelta

import pytest
import time_machine
from django.core.checks import run_checks

from bookings.models import Booking
from bookings.services import booking_create, expire_holds
from clients.agreements.services import agreement_publish, agreement_sign, agreement_sign_url
from coaching.models import OutboundEmail
from payments import hooks
from payments.models import Payment, StripeEvent
from tests.bookings.conftest import book_through_the_form, booker
from tests.factories import PersonFactory
from tests.payments.conftest import TOMORROW_10, post_event, start_paying
from tests.payments.fake_stripe import signature

pytestmark = pytest.mark.usefixtures("frozen")


def sent(template: str) -> OutboundEmail:
    return OutboundEmail.objects.get(template=template)


def status_url(fake_stripe) -> str:
    return fake_stripe.only_session()["success_url"].removeprefix("https://coach.example.com")


def test_checkout_then_webhook_confirms_the_booking(client, paid, fake_stripe):
    checkout_url = start_paying(client, paid)
    assert checkout_url == fake_stripe.only_session()["url"]
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.HELD
    (request,) = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert request["metadata"]["booking"] == str(booking.pk)
    assert request["line_items"]["0"]["price_data"]["unit_amount"] == "9500"

    waiting = client.get(status_url(fake_stripe))
    assert "Confirming your payment" in waiting.text  # the redirect alone confirms nothing
    assert Booking.objects.get().status == Booking.Status.HELD

    assert post_event(client, fake_stripe.event(fake_stripe.only_session())).status_code == 200
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    charge = Payment.objects.get()
    assert (charge.kind, charge.amount, charge.currency) == ("charge", 95, "GBP")
    page = client.get(status_url(fake_stripe), follow=True)
    assert "You are booked" in page.text and "Paid online by card" in page.text
    assert sent("payment_receipt").subject.startswith("Your receipt from")


def test_the_same_event_three_times_makes_one_payment(client, paid, fake_stripe):
    start_paying(client, paid)
    event = fake_stripe.event(fake_stripe.only_session())
    assert [post_event(client, event).status_code for _ in range(3)] == [200, 200, 200]
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 1
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert OutboundEmail.objects.filter(template="payment_receipt").count() == 1


def test_a_second_event_for_the_same_payment_changes_nothing(client, paid, fake_stripe):
    start_paying(client, paid)
    session = fake_stripe.only_session()
    post_event(client, fake_stripe.event(session))
    post_event(client, fake_stripe.event(session, "checkout.session.async_payment_succeeded"))
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 2


def test_webhook_before_the_redirect_shows_the_confirmation(client, paid, fake_stripe):
    start_paying(client, paid)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    page = client.get(status_url(fake_stripe), follow=True)
    assert page.redirect_chain[-1][0].startswith("/book/booked/")
    assert "You are booked" in page.text


@pytest.mark.parametrize(
    "header",
    ["", "t=1,v1=00", signature('{"id": "evt_other"}'), signature("{}", secret="whsec_other")],
    # Fixed ids: a signature holds the clock's second, which two xdist workers collecting a
    # second apart would read differently (and refuse to run the suite).
    ids=["missing", "malformed", "another-body", "another-secret"],
)
def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    client, paid, fake_stripe, header
):
    start_paying(client, paid)
    response = post_event(client, fake_stripe.event(fake_stripe.only_session()), header=header)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists() and not Payment.objects.exists()
    assert Booking.objects.get().status == Booking.Status.HELD


def test_a_payment_after_the_hold_confirms_while_the_time_is_free(client, paid, fake_stripe):
    start_paying(client, paid)
    with time_machine.travel(timedelta(minutes=20)):
        assert expire_holds(None, Booking.objects.get().held_until + timedelta(seconds=1)) == 1
        assert "has run out" in client.get(status_url(fake_stripe)).text
        post_event(client, fake_stripe.event(fake_stripe.only_session()))
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert not fake_stripe.refunds


def test_a_payment_after_the_hold_is_refunded_when_the_time_was_taken(client, paid, fake_stripe):
    start_paying(client, paid)
    late = Booking.objects.get()
    with time_machine.travel(timedelta(minutes=20)):
        other = booking_create(session_type=paid, start=TOMORROW_10, booker=booker(2))
        event = fake_stripe.event(fake_stripe.only_session())
        for _ in range(2):  # a replay refunds nothing more
            post_event(client, event)
        page = client.get(status_url(fake_stripe))
    late.refresh_from_db()
    assert late.status == Booking.Status.EXPIRED and other.status == Booking.Status.CONFIRMED
    (refund,) = fake_stripe.refunds
    assert refund["amount"] == 9500
    assert Payment.objects.refunds().get().reason == Payment.Reason.LATE
    assert "Please choose another time" in page.text
    note = sent("payment_late_refund")
    assert "The nearest free times are" in note.body_text and "£95" in note.body_text


def test_stripe_closing_an_unpaid_session_frees_the_time(client, paid, fake_stripe):
    start_paying(client, paid)
    expired = fake_stripe.event(
        fake_stripe.only_session(), "checkout.session.expired", payment_status="unpaid"
    )
    post_event(client, expired)
    assert Booking.objects.get().status == Booking.Status.EXPIRED
    assert not Payment.objects.exists()


def test_stripe_down_keeps_the_time_and_says_so(client, paid, fake_stripe):
    fake_stripe.failing = True
    page = client.get(book_through_the_form(client, paid, TOMORROW_10))
    assert page.status_code == 503 and "nothing was charged" in page.text
    assert Booking.objects.get().status == Booking.Status.HELD


def test_the_free_call_never_asks_for_money(client, free_call, fake_stripe):
    page = client.get(book_through_the_form(client, free_call, TOMORROW_10))
    assert "You are booked" in page.text
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert fake_stripe.requests == []


def test_discreet_bookings_pay_under_a_neutral_name(client, paid, fake_stripe, settings):
    settings.STRIPE_STATEMENT_DESCRIPTOR = "BALANCED HEARTS"
    paid.name = "Intimacy session"
    paid.save()
    start_paying(client, paid, discreet="on")
    (request,) = fake_stripe.calls("POST", "/v1/checkout/sessions")
    product = request["line_items"]["0"]["price_data"]["product_data"]["name"]
    assert product.startswith("Appointment with")
    assert request["payment_intent_data"]["statement_descriptor_suffix"] == "BALANCED HEARTS"
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    receipt = sent("payment_receipt")
    assert "intimacy" not in (receipt.subject + receipt.body_text + receipt.body_html).lower()


def test_nobody_pays_while_someone_must_still_sign(client, paid, fake_stripe):
    needed = hooks.SignatureNeeded("Sam Partner", "/account/agreement/")
    with hooks.signatures_missing.overridden(lambda client, payer_email: [needed]):
        page = client.get(book_through_the_form(client, paid, TOMORROW_10))
    assert page.status_code == 403 and "Sam Partner" in page.text
    assert fake_stripe.requests == [] and Booking.objects.get().status == Booking.Status.HELD


@pytest.mark.parametrize(
    ("secret", "webhook", "variable"),
    [("sk_test_x", "", "STRIPE_WEBHOOK_SECRET"), ("", "whsec_x", "STRIPE_SECRET_KEY"),
     ("pk_test_x", "whsec_x", "STRIPE_SECRET_KEY")],
)  # fmt: skip
def test_half_set_stripe_keys_stop_start_up_naming_the_variable(
    settings, secret, webhook, variable
):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = secret, webhook
    errors = [str(message) for message in run_checks() if message.is_serious()]
    assert any(variable in error for error in errors), errors


def test_a_deposit_is_what_checkout_asks_and_the_booking_says_so(client, paid, fake_stripe):
    paid.deposit = 30
    paid.save()
    start_paying(client, paid)
    (request,) = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert request["line_items"]["0"]["price_data"]["unit_amount"] == "3000"
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    page = client.get(status_url(fake_stripe), follow=True)
    assert "A deposit of £30 was paid online." in page.text
    assert Payment.objects.get().amount == 30


def test_a_late_refund_stripe_refuses_rolls_back_until_stripe_sends_it_again(
    client, paid, fake_stripe
):
    start_paying(client, paid)
    with time_machine.travel(timedelta(minutes=20)):
        booking_create(session_type=paid, start=TOMORROW_10, booker=booker(2))
        event = fake_stripe.event(fake_stripe.only_session())
        fake_stripe.failing = True
        assert post_event(client, event).status_code == 503
        assert not StripeEvent.objects.exists() and not Payment.objects.exists()
        fake_stripe.failing = False
        assert post_event(client, event).status_code == 200  # Stripe's retry
    assert Payment.objects.charges().count() == 1 and Payment.objects.refunds().count() == 1


def test_a_couple_where_one_partner_has_not_signed_cannot_pay(client, paid, fake_stripe):
    agreement_publish(text="Coaching is not therapy.")
    status = book_through_the_form(client, paid, TOMORROW_10)  # as Ada Lovelace
    booking = Booking.objects.get()
    ada = booking.client.people.get()
    sam = PersonFactory(client=booking.client, name="Sam Partner", email="sam@example.org")
    agreement_sign(person=ada, version_number=1, typed_name="Ada Lovelace", ip=None,
                   user_agent="", via="link")  # fmt: skip
    page = client.get(status)
    assert page.status_code == 403 and "Sam Partner" in page.text
    assert agreement_sign_url(sam) not in page.text  # the booker never gets the partner's link
    assert fake_stripe.requests == [] and Booking.objects.get().status == Booking.Status.HELD

    agreement_sign(person=sam, version_number=1, typed_name="Sam Partner", ip=None,
                   user_agent="", via="link")  # fmt: skip
    assert client.get(status)["Location"] == fake_stripe.only_session()["url"]


def test_the_booker_who_has_not_signed_gets_a_link_to_sign(client, paid, fake_stripe):
    agreement_publish(text="Coaching is not therapy.")
    page = client.get(book_through_the_form(client, paid, TOMORROW_10))
    ada = Booking.objects.get().client.people.get()
    assert page.status_code == 403 and agreement_sign_url(ada) in page.text
    assert fake_stripe.requests == []
