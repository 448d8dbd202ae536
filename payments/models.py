"""Payments through Stripe Checkout: what was asked for, what was paid and refunded, and which
of Stripe's events were handled.

A `Checkout` is one Stripe Checkout session for a held booking. A `Payment` is one charge or one
refund (a refund points at its charge); its `reference` is the anonymous id the accounts keep
once a client is erased. A `StripeEvent` is one webhook event, recorded once by Stripe's id in
the transaction that handles it: a replayed or duplicated event finds its row and changes
nothing. Stripe's own ids are unique here too, so nothing is charged or refunded twice.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list

from bookings.models import Booking, SessionType, money_label
from clients.models import Client


class PackageOfferQuerySet(models.QuerySet):
    def on_sale(self):
        return self.filter(is_active=True).prefetch_related("session_types")


class PackageOffer(models.Model):
    """A package the coach sells online: N sessions at a price. Buying one by Checkout creates
    the client's `clients.Package`, whose sessions pay for paid times booked while signed in."""

    name = models.CharField(max_length=80)
    sessions = models.PositiveSmallIntegerField(default=6)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    description = models.CharField(max_length=300, blank=True)
    session_types = models.ManyToManyField(
        SessionType, blank=True, related_name="+",
        help_text="The sessions it pays for; none ticked: every paid session.",
    )  # fmt: skip
    is_active = models.BooleanField(default=True)

    objects = PackageOfferQuerySet.as_manager()

    class Meta:
        ordering = ["price", "pk"]

    def __str__(self):
        return self.name

    def covers(self, session_type: SessionType) -> bool:
        """Whether its sessions pay for this type (with `session_types` prefetched)."""
        covered = self.session_types.all()
        return not covered or session_type in covered

    @property
    def covers_label(self) -> str:
        """ "Couples session or Individual session"; empty when it covers every paid one."""
        return get_text_list([t.name for t in self.session_types.all()], "or")

    @property
    def price_label(self) -> str:
        return money_label(self.price, self.currency)


class Checkout(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Waiting for payment"
        PAID = "paid", "Paid"
        EXPIRED = "expired", "Not paid"

    stripe_id = models.CharField(max_length=255, unique=True)
    url = models.URLField(max_length=2000)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkouts"
    )
    # A package's Checkout: what was bought, by whom (kept only until it is paid), and the
    # package it made.
    offer = models.ForeignKey(PackageOffer, null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    package = models.ForeignKey(
        "clients.Package", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Checkout {self.stripe_id} ({self.state})"


class PaymentQuerySet(models.QuerySet):
    def charges(self):
        return self.filter(kind=Payment.Kind.CHARGE)

    def refunds(self):
        return self.filter(kind=Payment.Kind.REFUND)


class Payment(models.Model):
    """One charge or one refund, as Stripe reported it. Amounts are positive; `kind` says which
    way the money went."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "Payment"
        REFUND = "refund", "Refund"

    class Reason(models.TextChoices):
        CHECKOUT = "checkout", "Paid by card"
        POLICY = "policy", "Cancelled in time (policy)"
        COACH = "coach", "Refunded by the coach"
        LATE = "late", "Paid after the time was taken"

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=30, default="succeeded")  # Stripe's word for it
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    package = models.ForeignKey(
        "clients.Package", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="payments",
    )  # fmt: skip
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    stripe_payment_intent = models.CharField(max_length=255, blank=True)
    stripe_refund = models.CharField(max_length=255, blank=True)
    # The receipt's address: the booker's. An erasure empties it, the Stripe ids and the links
    # to the client: the accounts keep the amount, the date and `reference`, nothing personal.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent"],
                condition=models.Q(kind="charge") & ~models.Q(stripe_payment_intent=""),
                name="payment_one_charge_per_intent",
            ),
            models.UniqueConstraint(
                fields=["stripe_refund"],
                condition=~models.Q(stripe_refund=""),
                name="payment_one_row_per_refund",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}"

    @property
    def label(self) -> str:
        return money_label(self.amount, self.currency)


class StripeEvent(models.Model):
    """A webhook event handled once. Only its id, type and object: the payload, which names the
    payer, is not kept."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
