"""Refunds: by the session type's policy when the client cancels by the manage link (both sides of
the cut-off), and by the coach, fully or partly, from the booking's page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from bookings.links import manage_token
from bookings.models import Booking
from coaching.models import OutboundEmail
from payments.models import Payment
from tests.payments.conftest import TOMORROW_10, post_event, start_paying

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def paid_booking(client, paid, fake_stripe) -> Booking:
    paid.cutoff_hours, paid.refund_hours = 2, 12  # frozen at 08:00 the day before: 26 h ahead
    paid.save()
    start_paying(client, paid)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    return Booking.objects.get(status=Booking.Status.CONFIRMED)


def cancel_by_the_link(client, booking, django_capture_on_commit_callbacks):
    url = reverse("bookings:cancel", args=[manage_token(booking)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": ""})
    assert response.status_code == 200, response.status_code


def test_cancelling_before_the_refund_cut_off_refunds_in_full(
    client, paid_booking, fake_stripe, django_capture_on_commit_callbacks
):
    at = TOMORROW_10 - timedelta(hours=12)  # the last moment of the policy
    with time_machine.travel(at, tick=False):
        page = client.get(reverse("bookings:cancel", args=[manage_token(paid_booking)]))
        assert "cancelling now refunds you in full" in page.text
        cancel_by_the_link(client, paid_booking, django_capture_on_commit_callbacks)
    (refund,) = fake_stripe.refunds
    assert refund["amount"] == 9500
    row = Payment.objects.refunds().get()
    assert (row.amount, row.reason) == (95, Payment.Reason.POLICY)
    assert OutboundEmail.objects.filter(subject__startswith="Your refund from").count() == 1


def test_cancelling_after_the_refund_cut_off_refunds_nothing(
    client, paid_booking, fake_stripe, django_capture_on_commit_callbacks
):
    at = TOMORROW_10 - timedelta(hours=12) + timedelta(seconds=1)
    with time_machine.travel(at, tick=False):
        page = client.get(reverse("bookings:cancel", args=[manage_token(paid_booking)]))
        assert "is not refunded" in page.text
        cancel_by_the_link(client, paid_booking, django_capture_on_commit_callbacks)
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    assert fake_stripe.refunds == [] and not Payment.objects.refunds().exists()


def test_the_policy_task_run_twice_refunds_once(client, paid_booking, fake_stripe):
    from payments.tasks import refund_by_policy

    Booking.objects.filter(pk=paid_booking.pk).update(
        status=Booking.Status.CANCELLED, cancelled_at=TOMORROW_10 - timedelta(days=1)
    )
    refund_by_policy(paid_booking.pk)
    refund_by_policy(paid_booking.pk)
    assert len(fake_stripe.refunds) == 1 and Payment.objects.refunds().count() == 1


def test_the_coach_refunds_part_then_the_rest_from_the_booking_page(
    coach_client, paid_booking, fake_stripe
):
    page = coach_client.get(reverse("bookings_coach:detail", args=[paid_booking.pk]))
    assert "Payments" in page.text and "up to 95.00" in page.text
    charge = Payment.objects.charges().get()
    url = reverse("payments_coach:refund", args=[charge.pk])
    for _ in range(2):  # a double click: the same key refunds once
        coach_client.post(url, {"amount": "30.00", "idempotency_key": "k1"})
    refused = coach_client.post(url, {"amount": "70", "idempotency_key": "k2"}, follow=True)
    assert "Refund between 0.01 and 65.00 GBP" in refused.text
    done = coach_client.post(url, {"amount": "65", "idempotency_key": "k3"}, follow=True)
    assert "Refunded £65." in done.text
    assert [r["amount"] for r in fake_stripe.refunds] == [3000, 6500]
    assert sorted(p.amount for p in Payment.objects.refunds()) == [30, 65]
    assert (
        "up to"
        not in coach_client.get(reverse("bookings_coach:detail", args=[paid_booking.pk])).text
    )


def test_a_client_cannot_reach_the_refund(client, client_user, paid_booking):
    client.force_login(client_user)
    charge = Payment.objects.charges().get()
    response = client.post(reverse("payments_coach:refund", args=[charge.pk]), {"amount": "95"})
    assert response.status_code in (302, 403, 404)
    assert not Payment.objects.refunds().exists()
