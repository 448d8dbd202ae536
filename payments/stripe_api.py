"""Stripe's HTTP API as this site uses it: Checkout sessions, refunds, webhook signatures.

Every call that creates something carries an idempotency key made from our own ids, so a retry
(ours, the library's, or a webhook handled again after a rollback) gets Stripe's first answer
instead of a second charge or refund. Amounts go to Stripe in the currency's minor unit.
"""

import json
from decimal import Decimal

import stripe
from django.conf import settings


class PaymentsUnavailable(Exception):
    """Stripe did not answer, or refused: nothing was charged or refunded by this call."""


class BadSignature(Exception):
    """A webhook without Stripe's valid signature of its exact body."""


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def minor_units(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def from_minor_units(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def create_checkout(params: dict, *, idempotency_key: str) -> dict:
    try:
        session = _client().v1.checkout.sessions.create(
            params, {"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    return {"id": session.id, "url": session.url}


def create_refund(*, payment_intent: str, amount: Decimal, idempotency_key: str) -> dict:
    params = {"payment_intent": payment_intent, "amount": minor_units(amount)}
    try:
        refund = _client().v1.refunds.create(params, {"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise PaymentsUnavailable(str(exc)) from exc
    return {"id": refund.id, "status": refund.status}


def verified_event(payload: bytes, signature: str) -> dict:
    """The event Stripe signed (its `Stripe-Signature` header, within 5 minutes), as a dict."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    try:
        text = payload.decode()
        if not secret:
            raise BadSignature("STRIPE_WEBHOOK_SECRET is not set")
        stripe.WebhookSignature.verify_header(text, signature, secret, tolerance=300)
        return json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
