"""Emails about money: the receipt of a charge or a refund, and the kind note when a payment came
after its time was taken. Discreet: they name the practice and "Appointment with <coach>"
for a discreet booking (`booking_title`), never the kind of session.
"""

from django.conf import settings
from django.urls import reverse

from bookings.availability import nearest_slots
from bookings.formatting import booking_title, time_range
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings
from coaching.tokens import make_token
from payments.models import Payment

RECEIPT_PURPOSE = "payment-receipt"


def statement_descriptor() -> str:
    """The practice's neutral name on card statements (Stripe allows 22 characters)."""
    return settings.STRIPE_STATEMENT_DESCRIPTOR[:22]


def receipt_url(payment: Payment) -> str:
    token = make_token(RECEIPT_PURPOSE, str(payment.reference))
    return absolute_url(reverse("payments:receipt", args=[token]))


def package_title(package, site: SiteSettings | None = None) -> str:
    """What Checkout and receipts call a package (an offer or a bought one): neutral, whatever
    its name."""
    site = site or SiteSettings.load()
    return f"{package.sessions} sessions with {site.coach_first_name}"


def receipt_context(payment: Payment) -> dict:
    """What a receipt says, on its page and in its email."""
    site = SiteSettings.load()
    booking = payment.booking
    if booking:
        item = booking_title(booking, site)
    elif payment.package:
        item = package_title(payment.package, site)
    else:
        item = "Coaching"
    return {
        "payment": payment,
        "practice": site.site_name,
        "item": item,
        "when": time_range(booking.start, booking.end, booking.zone) if booking else "",
    }


def receipt(payment: Payment) -> None:
    if not payment.email:
        return
    send_email(
        to=payment.email,
        template="payment_receipt",
        context=receipt_context(payment) | {"receipt_url": receipt_url(payment)},
        related=payment,
    )


def late_refund(refund: Payment) -> None:
    """The payment came after the time it was for was taken: refunded, with the nearest times."""
    booking = refund.booking
    if booking is None or not refund.email:
        return
    session_type = booking.session_type
    nearest = nearest_slots(session_type, booking.start)
    send_email(
        to=refund.email,
        template="payment_late_refund",
        context=receipt_context(refund) | {
            "name": booking.name,
            "nearest": [time_range(slot.start, slot.end, booking.zone) for slot in nearest],
            "book_url": absolute_url(reverse("bookings:book", args=[session_type.slug])),
            "receipt_url": receipt_url(refund),
        },
        related=refund,
    )  # fmt: skip
