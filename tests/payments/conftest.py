from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from payments.models import PackageOffer
from tests.bookings.conftest import book_through_the_form, free_call, frozen  # noqa: F401
from tests.bookings.factories import SessionTypeFactory, open_every_day
from tests.payments.fake_stripe import signature

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def paid(db, fake_stripe):
    session_type = SessionTypeFactory(price=Decimal("95.00"), name="Couples session")
    open_every_day(session_type.calendar)
    return session_type


@pytest.fixture
def offer(db, fake_stripe):
    return PackageOffer.objects.create(name="Intimacy six", sessions=2, price=Decimal("500"))


def post_package_form(client, offer, email="ada@example.org", name="Ada Lovelace", key="k"):
    """The package's form, filled in and sent: off to Checkout (302) or the page again."""
    data = {"name": name, "email": email, "consent": "on", "idempotency_key": key}
    return client.post(reverse("payments:package_buy", args=[offer.pk]), data)


def post_event(client, payload: str, header: str | None = None):
    """Stripe's POST of one event to the webhook, signed unless `header` says otherwise."""
    return client.post(
        reverse("payments:webhook"), payload, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature(payload) if header is None else header,
    )  # fmt: skip


def start_paying(client, session_type, start=TOMORROW_10, **fields) -> str:
    """Book a paid time through the form and follow to Checkout: Stripe's page address."""
    pay_url = book_through_the_form(client, session_type, start, **fields)
    response = client.get(pay_url)
    assert response.status_code == 302, response.status_code
    return response["Location"]
