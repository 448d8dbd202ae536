"""The policy refund through a real worker on Redis, Stripe on a local server: a client cancels a
paid booking by the link in time, the worker refunds it once and the discreet receipt arrives by
SMTP; the task delivered again refunds nothing twice."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.links import manage_token
from bookings.models import Booking
from coaching.models import OutboundEmail, SiteSettings
from payments.models import Payment
from payments.tasks import refund_by_policy
from tests.conftest import wait_for
from tests.payments.conftest import post_event, start_paying
from tests.payments.fake_stripe import SECRET_KEY, WEBHOOK_SECRET

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]
SENSITIVE = re.compile(r"intima|\bsex", re.IGNORECASE)


def in_two_days_at_ten() -> datetime:
    """A bookable time well before the refund cut-off. Real time: the worker's clock is not
    frozen, so the scene is set at today's date rather than a fixed one."""
    london = ZoneInfo("Europe/London")
    day = (timezone.now() + timedelta(days=2)).astimezone(london).date()
    return datetime.combine(day, time(10), tzinfo=london)


def refund_receipts(smtp_sink) -> list:
    return [m for m in smtp_sink.messages if m["Subject"].startswith("Your refund")]


def refunds_run(celery_worker) -> int:
    """How many times the worker has finished the refund task (its log says so per task)."""
    return len(re.findall(r"refund_by_policy\[\S+\] succeeded", celery_worker.log.read_text()))


def test_a_cancellation_in_time_is_refunded_once_by_the_worker(
    client, celery_worker, smtp_sink, fake_stripe, paid
):
    celery_worker.env.update(
        STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=fake_stripe.url,
    )  # fmt: skip
    paid.name, paid.cutoff_hours, paid.refund_hours = "Sex and intimacy coaching", 2, 12
    paid.save()
    start_paying(client, paid, in_two_days_at_ten(), discreet="on")
    post_event(client, fake_stripe.event(fake_stripe.only_session()))
    booking = Booking.objects.get(status=Booking.Status.CONFIRMED)
    celery_worker.start()

    # The cancellation commits, then queues the refund: nothing here runs it but the worker.
    response = client.post(reverse("bookings:cancel", args=[manage_token(booking)]), {"reason": ""})
    assert response.status_code == 200, response.status_code
    wait_for(lambda: refund_receipts(smtp_sink), timeout=20)
    refund_by_policy.delay(booking.pk)  # delivered again, as after a lost acknowledgement
    wait_for(lambda: refunds_run(celery_worker) == 2, timeout=20)

    charge = Payment.objects.charges().get()
    (request,) = fake_stripe.calls("POST", "/v1/refunds")
    assert request == {"payment_intent": charge.stripe_payment_intent, "amount": "9500"}
    assert len(fake_stripe.refunds) == 1
    refund = Payment.objects.refunds().get()
    assert (refund.amount, refund.reason, refund.refund_of) == (95, Payment.Reason.POLICY, charge)
    assert refund.stripe_refund == fake_stripe.refunds[0]["id"]

    assert OutboundEmail.objects.filter(subject__startswith="Your refund").count() == 1
    (receipt,) = refund_receipts(smtp_sink)
    practice = SiteSettings.load().site_name
    assert receipt["To"] == booking.email and receipt["Subject"] == f"Your refund from {practice}"
    text = receipt.get_body(("plain",)).get_content()
    html = receipt.get_body(("html",)).get_content()
    assert str(refund.reference) in text and "Appointment with" in text
    assert not SENSITIVE.search(receipt["Subject"] + receipt["From"] + text + html)
