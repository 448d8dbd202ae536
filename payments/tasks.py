from celery import shared_task

from bookings.models import Booking
from payments import services
from payments.stripe_api import PaymentsUnavailable


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(PaymentsUnavailable,),
    retry_backoff=60, max_retries=8,
)  # fmt: skip
def refund_by_policy(booking_id: int) -> None:
    """Refund a booking its client cancelled in time. At-least-once; once in effect, by
    Stripe's idempotency key per charge and the unique refund id."""
    booking = Booking.objects.select_related("session_type").filter(pk=booking_id).first()
    if booking:
        services.booking_refund_by_policy(booking=booking)
