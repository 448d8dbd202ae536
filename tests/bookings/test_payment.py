"""What a booking says about its price: a session the coach booked (or one booked before payments
were taken here) says how the coach collects it; one paid online says so; the free call says
it is free. Without Stripe's keys, paid session types are not offered online and the coach is
told why."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from bookings.links import manage_token
from bookings.models import DEFAULT_PAYMENT_NOTE
from bookings.services import booking_create
from tests.bookings.conftest import book_through_the_form, booker

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
EMAIL = "booker1@example.org"

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def paid(session_type):
    session_type.price, session_type.currency = "95.00", "GBP"
    session_type.save()
    session_type.refresh_from_db()
    return session_type


def confirmation_email():
    return next(m for m in mail.outbox if m.to == [EMAIL] and m.subject.startswith("Confirmed"))


def book_for_the_client(client, paid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(session_type=paid, start=TOMORROW_10, booker=booker(1))
    return client.get(reverse("bookings:manage", args=[manage_token(booking)]))


def test_a_booking_not_paid_online_says_its_price_and_how_it_is_paid(
    client, paid, django_capture_on_commit_callbacks
):
    page = book_for_the_client(client, paid, django_capture_on_commit_callbacks)
    assert "<dt>Price</dt><dd>£95<br>" + DEFAULT_PAYMENT_NOTE in page.text
    message = confirmation_email()
    assert f"Price: £95\n{DEFAULT_PAYMENT_NOTE}" in message.body
    html = message.alternatives[0][0]
    assert "Price: £95" in html and DEFAULT_PAYMENT_NOTE in html


def test_the_coach_says_in_her_own_words_how_she_is_paid(
    client, paid, django_capture_on_commit_callbacks
):
    paid.payment_note = "Please pay by bank transfer to the account on my invoice."
    paid.save()
    page = book_for_the_client(client, paid, django_capture_on_commit_callbacks)
    assert paid.payment_note in page.text and DEFAULT_PAYMENT_NOTE not in page.text
    assert paid.payment_note in confirmation_email().body


def test_the_free_call_says_it_is_free(client, free_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(book_through_the_form(client, free_call, TOMORROW_10, email=EMAIL))
    assert "<dt>Price</dt><dd>Free</dd>" in page.text
    message = confirmation_email()
    assert "Price: Free" in message.body and "Price: Free" in message.alternatives[0][0]
    assert DEFAULT_PAYMENT_NOTE not in message.body


def test_the_coach_sets_the_payment_note_on_the_session_type(coach_client, paid):
    form = coach_client.get(reverse("bookings_coach:type_edit", args=[paid.pk]))
    assert 'name="payment_note"' in form.text and DEFAULT_PAYMENT_NOTE in form.text


def test_without_stripe_keys_paid_types_are_not_offered_and_the_coach_sees_why(
    client, coach_client, paid, free_call
):
    assert paid.name not in client.get(reverse("bookings:index")).text
    assert client.get(reverse("bookings:book", args=[paid.slug])).status_code == 404
    assert client.get(reverse("bookings:form", args=[paid.slug])).status_code == 404
    assert client.get(reverse("bookings:book", args=[free_call.slug])).status_code == 200
    types = coach_client.get(reverse("bookings_coach:types")).text
    assert "STRIPE_SECRET_KEY" in types and "not offered online" in types


def test_with_stripe_keys_the_coach_sees_no_warning(coach_client, paid, fake_stripe):
    assert "STRIPE_SECRET_KEY" not in coach_client.get(reverse("bookings_coach:types")).text
