"""20 visitors race for one paid time on real PostgreSQL: one hold, one Checkout, one charge."""

import pytest
from django.test import Client
from django.urls import reverse

from bookings.forms import slot_id
from bookings.models import Booking
from payments.models import Payment
from tests.bookings.test_concurrency import race
from tests.payments.conftest import TOMORROW_10, post_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen")]


def visitor(session_type, n: int):
    def book():
        browser = Client(raise_request_exception=False, REMOTE_ADDR=f"10.1.0.{n + 1}")
        data = {
            "name": f"Racer {n}", "email": f"racer{n}@example.org", "consent": "on",
            "start": slot_id(TOMORROW_10), "time_zone": "Europe/London",
        }  # fmt: skip
        response = browser.post(reverse("bookings:form", args=[session_type.slug]), data)
        if response.status_code == 303:  # the winner goes on to pay, twice for good measure
            return [browser.get(response["Location"]) for _ in range(2)]
        return response.status_code

    return book


def test_twenty_visitors_for_one_paid_time_make_one_hold_and_one_charge(paid, fake_stripe):
    results = race([visitor(paid, n) for n in range(20)])
    winners = [r for r in results if isinstance(r, list)]
    assert len(winners) == 1 and sorted(set(r for r in results if r not in winners)) == [409]
    assert Booking.objects.filter(status=Booking.Status.HELD).count() == 1
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 1  # the open one reused
    event = fake_stripe.event(fake_stripe.only_session())
    race([lambda: post_event(Client(), event).status_code for _ in range(5)])
    assert Payment.objects.count() == 1
    assert Booking.objects.get(status=Booking.Status.CONFIRMED).name.startswith("Racer")
