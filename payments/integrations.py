"""What payments contributes to the client record (timeline, export, erasure), registered in
`PaymentsConfig.ready()`. Each function runs a fixed number of queries."""

from uuid import uuid4

from django.conf import settings
from django.urls import reverse

from bookings.models import money_label, payments_configured
from bookings.services import package_left
from clients.agreements.services import agreement_sign_url, people_yet_to_sign
from clients.hooks import TimelineEntry
from clients.services import packages_with_usage
from coaching.hooks import Panel
from payments import money, tasks
from payments.hooks import SignatureNeeded
from payments.models import Checkout, PackageOffer, Payment
from payments.notifications import receipt_url
from payments.services import refundable

EXPORTED_FIELDS = ["reference", "kind", "reason", "amount", "currency", "status",
                   "stripe_payment_intent", "stripe_refund", "created_at"]  # fmt: skip


def agreement_unsigned(client, payer_email: str) -> list[SignatureNeeded]:
    """Everyone of the client yet to sign the current coaching agreement. Only the payer gets a
    signing link here: a partner signs with their own (from their account, or the link the coach
    emails), never by the payer's hand."""
    payer = payer_email.strip().lower()
    return [
        SignatureNeeded(
            person.name, agreement_sign_url(person) if person.email.lower() == payer else ""
        )
        for person in people_yet_to_sign(client)
    ]


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
        email="", client=None, booking=None, package=None, stripe_payment_intent="",
        stripe_refund="",
    )  # fmt: skip
    emails = [person.email for person in client.people.all()]
    Checkout.objects.filter(email__in=emails).update(name="", email="")
    return {"payments kept for the accounts, anonymised": count}


def on_booking_cancelled(booking, by_coach: bool) -> None:
    """The client cancelled: refund by the policy once the cancellation commits. The coach
    refunds what they decide from the booking's page."""
    if not by_coach and booking.session_type.takes_payment:
        tasks.refund_by_policy.delay_on_commit(booking.pk)


def offer_covers(package, session_type) -> bool:
    """A package bought online pays for the session types its offer names (or every paid one);
    one the coach added by hand, for any."""
    offer = (
        PackageOffer.objects.filter(checkout__package=package)
        .prefetch_related("session_types")
        .first()
    )
    return offer is None or offer.covers(session_type)


def booking_panel(request, booking) -> Panel | None:
    """The booking's payments on the coach's booking page, each charge with a refund form."""
    payments = list(Payment.objects.filter(booking=booking).order_by("created_at"))
    if not payments:
        return None
    charges = [(c, refundable(c)) for c in payments if c.kind == Payment.Kind.CHARGE]
    context = {"payments": payments, "charges": charges, "key": uuid4().hex}
    return Panel("payments/includes/_booking_payments.html", context, order=10)


def dashboard_panel(request) -> Panel:
    """Revenue per month, the last 12, as an SVG bar chart: no query while cached."""
    bars = money.revenue_chart(currency=settings.STRIPE_CURRENCY)
    context = {
        "bars": bars, "width": money.chart_width(bars), "height": money.CHART_HEIGHT,
        "bar_width": money.BAR_WIDTH, "currency": settings.STRIPE_CURRENCY,
        "total": money_label(sum(bar.amount for bar in bars), settings.STRIPE_CURRENCY),
    }  # fmt: skip
    return Panel("payments/dashboard_panel.html", context, order=40)


def book_index_panel(request) -> Panel | None:
    """Under the session types on /book/: the packages on offer, when any can be bought."""
    if not payments_configured():
        return None
    offers = list(PackageOffer.objects.on_sale())
    return Panel("payments/_book_index_panel.html", {"offers": offers}) if offers else None


def portal_section(request, person) -> Panel | None:
    """The client's portal: sessions left in the current package, and every receipt."""
    client = person.client
    packages = packages_with_usage(client=client)
    current = packages[-1] if packages else None
    payments = list(Payment.objects.filter(client=client).order_by("-created_at")[:50])
    if current is None and not payments:
        return None
    context = {
        "package": current,
        "left": package_left(current) if current else 0,
        "receipts": [(payment, receipt_url(payment)) for payment in payments],
    }
    return Panel("payments/portal_panel.html", context, order=25)
