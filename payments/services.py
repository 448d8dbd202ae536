"""Payment workflows: send a held booking to Checkout, handle Stripe's events once, refund.

Only Stripe's webhook confirms a paid booking (`booking_confirm_paid`); the page the visitor
comes back to shows what the webhook recorded. Each event is recorded by its id in the
transaction that handles it, and Stripe's payment and refund ids are unique here: a replayed,
duplicated or concurrent event changes nothing. A payment that succeeds after its hold ran out
confirms the booking while its time is free; otherwise it is refunded at once and the visitor
is told, kindly, with the nearest free times.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from bookings.formatting import booking_title
from bookings.links import pay_token
from bookings.models import Booking
from bookings.services import AlreadyHandled, SlotTaken, booking_confirm_paid, package_left
from clients.models import Client, Package
from clients.services import (
    client_advance_stage,
    client_get_or_create_lead,
    package_create,
    package_remove_sessions,
    packages_with_usage,
)  # fmt: skip
from coaching.emails import absolute_url
from payments import hooks, money, notifications, stripe_api
from payments.models import Checkout, PackageOffer, Payment, StripeEvent


class SignaturesMissing(ValidationError):
    """Someone must sign (the coaching agreement) before paying; `.needed` says who and where."""

    def __init__(self, needed: list[hooks.SignatureNeeded]):
        self.needed = needed
        super().__init__("Please sign the coaching agreement before paying.", code="unsigned")


def _check_signatures(client: Client, payer_email: str) -> None:
    """The coaching agreement's gate before any Checkout: SignaturesMissing while someone of the
    client (both partners of a couple) has not signed its current version."""
    if unsigned := hooks.missing_signatures(client, payer_email):
        raise SignaturesMissing(unsigned)


# Stripe keeps a Checkout session open at least 30 minutes; the hold is shorter, so a payment
# may succeed after its hold ran out (the late path below).
CHECKOUT_OPEN = timedelta(minutes=30)


def checkout_for_booking(*, booking: Booking, now: datetime | None = None) -> Checkout:
    """The Checkout session that pays for a held booking: the open one, or a new one.

    ValidationError when the booking no longer waits for payment, SignaturesMissing (one) when
    someone must sign first (`payments.hooks.signatures_missing`); PaymentsUnavailable when
    Stripe does not answer. The request is the same for one hold (its key and expiry come from
    the hold), so two clicks at once get one session from Stripe and one row here.
    """
    now = now or timezone.now()
    if booking.status != Booking.Status.HELD or booking.held_until <= now:
        raise ValidationError("This booking no longer waits for a payment.", code="not_payable")
    _check_signatures(booking.client, booking.email)
    existing = booking.checkouts.filter(state=Checkout.State.OPEN).first()
    if existing:
        return existing
    expires_at = booking.held_until + CHECKOUT_OPEN
    session = stripe_api.create_checkout(
        _checkout_params(booking, expires_at),
        idempotency_key=f"checkout-{booking.public_id}-{booking.held_until.timestamp()}",
    )
    checkout, _ = Checkout.objects.get_or_create(
        stripe_id=session["id"],
        defaults={
            "url": session["url"], "booking": booking, "amount": booking.session_type.amount_due,
            "currency": booking.session_type.currency.upper(), "created_at": now,
            "expires_at": expires_at,
        },
    )  # fmt: skip
    return checkout


def _checkout_params(booking: Booking, expires_at: datetime) -> dict:
    session_type = booking.session_type
    back = absolute_url(reverse("payments:status", args=[pay_token(booking)]))
    metadata = {"booking": str(booking.pk), "booking_public_id": str(booking.public_id)}
    return {
        "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": session_type.currency.lower(),
            "unit_amount": stripe_api.minor_units(session_type.amount_due),
            # Neutral in discreet mode: Stripe shows it on its page and its receipts.
            "product_data": {"name": booking_title(booking)},
        }}],
        "customer_email": booking.email,
        "client_reference_id": str(booking.public_id),
        "metadata": metadata,
        "payment_intent_data": _intent(metadata),
        "expires_at": int(expires_at.timestamp()),
        "success_url": back,
        "cancel_url": f"{back}?cancelled=1",
    }  # fmt: skip


def _intent(metadata: dict) -> dict:
    """The payment's own data: our ids, and the neutral name for the card statement."""
    intent = {"metadata": metadata}
    if descriptor := notifications.statement_descriptor():
        intent["statement_descriptor_suffix"] = descriptor
    return intent


def webhook_receive(*, payload: bytes, signature: str, now: datetime | None = None) -> bool:
    """Handle one signed webhook event once: False if it was seen before (nothing changes).

    BadSignature (the view answers 400) before anything is read or written.
    """
    event = stripe_api.verified_event(payload, signature)
    now = now or timezone.now()
    session = event.get("data", {}).get("object", {})
    with transaction.atomic():
        # Concurrent copies of one event wait on the unique index; the later ones find it.
        _, created = StripeEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={
                "type": event["type"],
                "object_id": session.get("id", ""),
                "received_at": now,
            },
        )
        if created:
            handler = HANDLERS.get(event["type"])
            if handler:
                handler(session, now)
    return created


def _session_paid(session: dict, now: datetime) -> None:
    """Record the charge, then confirm its booking; if the time went meanwhile, refund it."""
    checkout = (
        Checkout.objects.select_for_update(of=("self",))
        .select_related("booking__session_type__calendar", "booking__client")
        .filter(stripe_id=session["id"])
        .first()
    )
    if checkout is None or checkout.state == Checkout.State.PAID:
        return  # not one of ours, or paid already (completed, then async succeeded)
    checkout.state = Checkout.State.PAID
    checkout.save(update_fields=["state"])
    money.forget_revenue()
    booking = checkout.booking
    charge = Payment.objects.create(
        kind=Payment.Kind.CHARGE, reason=Payment.Reason.CHECKOUT, checkout=checkout,
        amount=stripe_api.from_minor_units(session["amount_total"]),
        currency=session["currency"].upper(), booking=booking,
        client=booking.client if booking else None,
        email=booking.email if booking else checkout.email,
        stripe_payment_intent=session["payment_intent"], created_at=now,
    )  # fmt: skip
    if checkout.offer_id:
        _package_bought(checkout, charge, now)
    else:
        _booking_paid(booking, charge, now)


def _booking_paid(booking: Booking | None, charge: Payment, now: datetime) -> None:
    """Confirm the paid booking; if its time went meanwhile (or it is gone), refund."""
    try:
        if booking is None:
            raise AlreadyHandled()
        booking_confirm_paid(booking=booking, now=now)
    except (SlotTaken, AlreadyHandled):
        refund = payment_refund(
            charge=charge, amount=charge.amount, reason=Payment.Reason.LATE, now=now,
            idempotency_key=f"late-{charge.stripe_payment_intent}",
        )  # fmt: skip
        notifications.late_refund(refund)
        return
    notifications.receipt(charge)


def _package_bought(checkout: Checkout, charge: Payment, now: datetime) -> None:
    """The package is the buyer's: a client record (a lead becomes a client), its sessions,
    the receipt. The buyer's name and email leave the Checkout row: the client holds them."""
    client = client_get_or_create_lead(
        email=checkout.email, name=checkout.name, source=Client.Source.BOOKING
    )
    client_advance_stage(client=client, to=Client.Stage.CLIENT)
    offer = checkout.offer
    package = package_create(
        client=client, name=offer.name, sessions=offer.sessions, paid=True, starts_at=now
    )
    charge.client, charge.package = client, package
    charge.save(update_fields=["client", "package"])
    checkout.package, checkout.name, checkout.email = package, "", ""
    checkout.save(update_fields=["package", "name", "email"])
    notifications.receipt(charge)


def checkout_for_package(
    *, offer: PackageOffer, name: str, email: str, key: str, now: datetime | None = None
) -> Checkout:
    """A Checkout session to buy `offer`; `key` comes with the form, so a double submit makes
    one session. The buyer is a client from here on (a lead until paid), whose people sign the
    agreement first: SignaturesMissing, as for a booking. PaymentsUnavailable when Stripe does
    not answer."""
    now = now or timezone.now()
    client = client_get_or_create_lead(email=email, name=name, source=Client.Source.BOOKING)
    _check_signatures(client, email)
    expires_at = now + CHECKOUT_OPEN + timedelta(minutes=1)  # Stripe's minimum, with margin
    done = absolute_url(reverse("payments:package_done"))
    params = {
        "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": offer.currency.lower(),
            "unit_amount": stripe_api.minor_units(offer.price),
            "product_data": {"name": notifications.package_title(offer)},
        }}],
        "customer_email": email,
        "metadata": {"package_offer": str(offer.pk)},
        "payment_intent_data": _intent({"package_offer": str(offer.pk)}),
        "expires_at": int(expires_at.timestamp()),
        "success_url": f"{done}?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": absolute_url(reverse("payments:packages")),
    }  # fmt: skip
    session = stripe_api.create_checkout(params, idempotency_key=f"package-{key}")
    checkout, _ = Checkout.objects.get_or_create(
        stripe_id=session["id"],
        defaults={
            "url": session["url"], "offer": offer, "name": name, "email": email,
            "amount": offer.price, "currency": offer.currency.upper(), "created_at": now,
            "expires_at": expires_at,
        },
    )  # fmt: skip
    return checkout


def _checkout_completed(session: dict, now: datetime) -> None:
    if session.get("payment_status") == "paid":  # else a bank debit: wait for its success
        _session_paid(session, now)


def _session_expired(session: dict, now: datetime) -> None:
    """Stripe closed an unpaid session: free its time now rather than at the hold's end."""
    checkout = Checkout.objects.filter(stripe_id=session["id"], state=Checkout.State.OPEN).first()
    if checkout is None:
        return
    Checkout.objects.filter(pk=checkout.pk).update(state=Checkout.State.EXPIRED)
    if checkout.booking_id:
        Booking.objects.filter(pk=checkout.booking_id).transition(
            from_status=Booking.Status.HELD, to_status=Booking.Status.EXPIRED
        )


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.expired": _session_expired,
}


def refundable(charge: Payment) -> Decimal:
    """What is left to refund of a charge."""
    refunded = charge.refunds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return charge.amount - refunded


def payment_refund(
    *,
    charge: Payment,
    amount: Decimal,
    reason: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> Payment:
    """Refund `amount` of a charge through Stripe and record it (once per Stripe refund).

    ValidationError for an amount above what is left; PaymentsUnavailable if Stripe refused.
    The same `idempotency_key` gives the same refund: a double click refunds once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        charge = Payment.objects.select_for_update().get(pk=charge.pk)  # one refund at a time
        if not 0 < amount <= refundable(charge):
            raise ValidationError(
                f"Refund between 0.01 and {refundable(charge)} {charge.currency}.", code="amount"
            )
        money.forget_revenue()
        refund = stripe_api.create_refund(
            payment_intent=charge.stripe_payment_intent, amount=amount,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        payment, _ = Payment.objects.get_or_create(
            stripe_refund=refund["id"],
            defaults={
                "kind": Payment.Kind.REFUND, "reason": reason, "amount": amount,
                "currency": charge.currency, "status": refund["status"], "refund_of": charge,
                "checkout": charge.checkout, "booking": charge.booking, "client": charge.client,
                "package": charge.package, "email": charge.email,
                "stripe_payment_intent": charge.stripe_payment_intent, "created_at": now,
            },
        )  # fmt: skip
    return payment


def booking_refund_by_policy(*, booking: Booking) -> list[Payment]:
    """Refund in full what is left of a booking's charges when its client cancelled it in time
    (`Booking.refund_due` at its `cancelled_at`); nothing after the cut-off. The same key for a
    charge each time: run again (a redelivered task), it refunds nothing twice."""
    if booking.status != Booking.Status.CANCELLED or not booking.refund_due(booking.cancelled_at):
        return []
    refunds = []
    for charge in Payment.objects.charges().filter(booking=booking):
        with transaction.atomic():  # the refund's row and its receipt commit together
            left = refundable(charge)
            if left > 0:
                refund = payment_refund(
                    charge=charge, amount=left, reason=Payment.Reason.POLICY,
                    idempotency_key=f"policy-{charge.reference}",
                )  # fmt: skip
                notifications.receipt(refund)
                refunds.append(refund)
    return refunds


def charge_refund_by_coach(*, charge: Payment, amount: Decimal, key: str) -> Payment:
    """The coach refunds all or part of a charge, whatever the policy; the client gets the
    refund's receipt. `key` comes with the form: a double click refunds once. A package
    refunded in full pays for nothing more: its sessions not used or booked are taken off."""
    with transaction.atomic():
        refund = payment_refund(
            charge=charge, amount=amount, reason=Payment.Reason.COACH,
            idempotency_key=f"coach-{charge.reference}-{key}",
        )  # fmt: skip
        if package_refunded_in_full(charge):
            _package_refunded(charge.package)
        notifications.receipt(refund)
    return refund


def package_refunded_in_full(charge: Payment) -> bool:
    return bool(charge.package_id) and refundable(charge) == 0


def _package_refunded(package: Package) -> None:
    usage = {p.pk: p for p in packages_with_usage(client=package.client)}[package.pk]
    package_remove_sessions(package=package, count=max(package_left(usage), 0))
