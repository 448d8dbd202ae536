"""The coach's money: payments and refunds with filters, the unpaid holds, the revenue chart."""

import pytest
from django.urls import reverse

from payments.models import Payment
from tests.payments.conftest import post_event, start_paying

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def charge(client, paid, fake_stripe) -> Payment:
    start_paying(client, paid)
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    return Payment.objects.get()


def test_the_coach_lists_payments_and_filters_them(coach_client, charge):
    Payment.objects.create(
        kind="refund", reason="coach", amount=20, currency="GBP", refund_of=charge
    )
    page = coach_client.get(reverse("payments_coach:index"))
    assert "£95" in page.text and "−£20" in page.text
    refunds = coach_client.get(reverse("payments_coach:index"), {"kind": "refund"})
    assert "−£20" in refunds.text and "£95<" not in refunds.text
    other_month = coach_client.get(reverse("payments_coach:index"), {"month": "2025-12"})
    assert "Nothing matches these filters" in other_month.text
    assert coach_client.get(reverse("payments_coach:index"), {"month": "x"}).status_code == 200


def test_the_coach_sees_times_held_for_payment(coach_client, client, paid, fake_stripe):
    start_paying(client, paid)
    page = coach_client.get(reverse("payments_coach:index"))
    assert "while the visitor pays" in page.text


def test_the_dashboard_charts_revenue_per_month(coach_client, charge):
    page = coach_client.get(reverse("coaching:dashboard"))
    assert "£95 in the last 12 months" in page.text
    assert "January 2026: 95.00 GBP" in page.text and "<svg" in page.text


def test_a_client_cannot_see_the_money_view(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("payments_coach:index")).status_code in (302, 403, 404)


def test_the_revenue_chart_is_computed_once_then_cached_until_a_payment(
    charge, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from payments import money

    with django_assert_num_queries(2):  # the coach's zone, the sums
        money.revenue_chart(currency="GBP")
    with django_assert_num_queries(0):
        assert sum(bar.amount for bar in money.revenue_chart(currency="GBP")) == 95
    with django_capture_on_commit_callbacks(execute=True):
        Payment.objects.create(kind="charge", reason="checkout", amount=5, currency="GBP")
        money.forget_revenue()
    assert sum(bar.amount for bar in money.revenue_chart(currency="GBP")) == 100
