"""Payments on the client's record: the timeline, the export, an erasure that keeps the accounts."""

import pytest
from django.urls import reverse

from clients import hooks
from clients.models import Client
from payments.models import Checkout, Payment
from tests.payments.conftest import post_event, start_paying

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def charge(client, paid, fake_stripe) -> Payment:
    start_paying(client, paid, email="ada@example.org")
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    return Payment.objects.get()


def test_a_payment_is_on_the_clients_timeline_and_in_the_export(charge):
    client = Client.objects.get()
    titles = [entry.title for entry in hooks.timeline_for(client)]
    assert "Payment £95" in titles
    exported = {key: rows for exporter in hooks.exporters for key, rows in exporter(client).items()}
    (row,) = exported["payments"]
    assert (row["kind"], row["amount"], row["currency"]) == ("charge", "95.00", "GBP")
    assert row["reference"] == str(charge.reference)


def test_erasure_keeps_the_amount_date_and_reference_and_nothing_personal(charge):
    client = Client.objects.get()
    for eraser in hooks.erasers:
        eraser(client)
    kept = Payment.objects.get()
    assert (kept.amount, kept.created_at, kept.reference) == (
        charge.amount,
        charge.created_at,
        charge.reference,
    )
    personal = (kept.email, kept.client, kept.booking, kept.stripe_payment_intent)
    assert personal == ("", None, None, "")
    assert not Checkout.objects.exclude(email="").exists()


def test_the_receipt_page_opens_by_its_signed_link_only(client, charge):
    from payments.notifications import receipt_url

    page = client.get(receipt_url(charge).removeprefix("https://coach.example.com"))
    assert page.status_code == 200 and "£95" in page.text and str(charge.reference) in page.text
    assert client.get(reverse("payments:receipt", args=["forged"])).status_code == 404
