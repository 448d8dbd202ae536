"""What payments contributes to the client record (timeline, export, erasure), registered in
`PaymentsConfig.ready()`. Each function runs a fixed number of queries."""

from django.urls import reverse

from clients.hooks import TimelineEntry
from payments.models import Payment

EXPORTED_FIELDS = ["reference", "kind", "reason", "amount", "currency", "status",
                   "stripe_payment_intent", "stripe_refund", "created_at"]  # fmt: skip


def timeline(client) -> list[TimelineEntry]:
    payments = Payment.objects.filter(client=client).select_related("booking")
    return [
        TimelineEntry(
            when=payment.created_at,
            kind="payment",
            title=f"{payment.get_kind_display()} {payment.label}",
            url=reverse("bookings_coach:detail", args=[payment.booking_id])
            if payment.booking_id
            else "",
            summary=payment.get_reason_display(),
        )
        for payment in payments
    ]


def export(client) -> dict[str, list[dict]]:
    rows = Payment.objects.filter(client=client).select_related("booking").order_by("created_at")
    return {
        "payments": [
            {
                **{field: str(getattr(payment, field)) for field in EXPORTED_FIELDS},
                "booking": str(payment.booking.public_id) if payment.booking else "",
            }
            for payment in rows
        ]
    }


def erase(client) -> dict[str, int]:
    """Keep what the accounts need (amount, currency, date, the anonymous reference) and
    nothing that leads back to the person: the email, the client, Stripe's ids."""
    count = Payment.objects.filter(client=client).update(
        email="", client=None, booking=None, stripe_payment_intent="", stripe_refund=""
    )
    return {"payments kept for the accounts, anonymised": count}
