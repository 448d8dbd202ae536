"""Public payment pages: go to Checkout, come back to the state the webhook recorded, the
receipt; and Stripe's webhook."""

import re
from uuid import uuid4

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from bookings.links import booking_for_pay_token, manage_token
from bookings.models import Booking, payments_configured
from coaching.tokens import TokenInvalid, read_token
from payments import notifications, services, stripe_api
from payments.forms import PackageBuyForm
from payments.models import Checkout, PackageOffer, Payment


def _booking(token: str) -> Booking:
    try:
        return booking_for_pay_token(token)
    except TokenInvalid:
        raise Http404 from None


@login_not_required
@never_cache
def pay(request: HttpRequest, token) -> HttpResponse:
    """Off to Stripe's Checkout for a held booking; once it no longer waits, to its state."""
    booking = _booking(token)
    try:
        checkout = services.checkout_for_booking(booking=booking)
    except services.SignaturesMissing as exc:
        context = {"booking": booking, "token": token, "unsigned": exc.needed}
        return render(request, "payments/status.html", context, status=403)
    except services.ValidationError:
        return redirect("payments:status", token)
    except stripe_api.PaymentsUnavailable:
        context = {"booking": booking, "token": token, "unavailable": True}
        return render(request, "payments/status.html", context, status=503)
    return redirect(checkout.url)


@login_not_required
@never_cache
def status(request: HttpRequest, token) -> HttpResponse:
    """Where Checkout sends the visitor back: what the webhook recorded, never more. A booking
    it confirmed goes to its confirmation page; until then this page looks again every few
    seconds."""
    booking = _booking(token)
    if booking.status not in (Booking.Status.HELD, Booking.Status.EXPIRED):  # paid and past it
        return redirect("bookings:booked", manage_token(booking))
    waiting = booking.status == Booking.Status.HELD and booking.held_until > timezone.now()
    context = {
        "booking": booking, "token": token, "waiting": waiting,
        "cancelled": "cancelled" in request.GET,
        "refunded": booking.payments.refunds().exists(),
        "book_url": reverse("bookings:book", args=[booking.session_type.slug]),
    }  # fmt: skip
    return render(request, "payments/status.html", context)


@login_not_required
@never_cache
def receipt(request: HttpRequest, token) -> HttpResponse:
    try:
        reference = read_token(notifications.RECEIPT_PURPOSE, token)
    except TokenInvalid:
        raise Http404 from None
    payment = get_object_or_404(
        Payment.objects.select_related("booking__session_type", "booking__client"),
        reference=reference,
    )
    return render(request, "payments/receipt.html", notifications.receipt_context(payment))


@login_not_required
@csrf_exempt  # Stripe signs the body instead
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    try:
        services.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except stripe_api.BadSignature:
        return HttpResponse("Bad signature", status=400, content_type="text/plain")
    except stripe_api.PaymentsUnavailable:  # a refund it needed failed: all rolled back
        return HttpResponse("Try again", status=503, content_type="text/plain")  # Stripe retries
    return HttpResponse("OK", content_type="text/plain")


@login_not_required
def packages(request: HttpRequest) -> HttpResponse:
    offers = PackageOffer.objects.on_sale() if payments_configured() else []
    return render(request, "payments/packages.html", {"offers": offers})


@login_not_required
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def package_buy(request: HttpRequest, pk) -> HttpResponse:
    """Who the package is for, then off to Checkout once everyone has signed the agreement; the
    package exists once Stripe says paid."""
    if not payments_configured():
        raise Http404
    offer = get_object_or_404(PackageOffer, pk=pk, is_active=True)
    form = PackageBuyForm(request.POST or None, initial={"idempotency_key": uuid4().hex})
    context, status = {"offer": offer, "form": form}, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkout = services.checkout_for_package(
                offer=offer, name=data["name"], email=data["email"], key=data["idempotency_key"]
            )
        except services.SignaturesMissing as exc:
            # The form keeps what was typed: the buyer signs in another tab and pays from here.
            context["unsigned"], status = exc.needed, 403
        except stripe_api.PaymentsUnavailable:
            form.add_error(None, "Card payments are not answering just now; nothing was charged.")
            status = 503
        else:
            return redirect(checkout.url)
    elif form.errors:
        status = 400
    return render(request, "payments/package_buy.html", context, status=status)


CHECKOUT_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


@login_not_required
@never_cache
def package_done(request: HttpRequest) -> HttpResponse:
    """Back from Checkout: the package once the webhook made it; until then, "confirming"."""
    session_id = request.GET.get("session_id", "")
    if not CHECKOUT_SESSION_ID.fullmatch(session_id):  # never a NUL byte or a novel to the DB
        raise Http404
    checkout = get_object_or_404(Checkout.objects.filter(offer__isnull=False), stripe_id=session_id)
    return render(request, "payments/package_done.html", {"checkout": checkout})
