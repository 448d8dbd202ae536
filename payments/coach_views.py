"""The coach's money pages under /coach/payments/ (staff only, by CoachAreaMiddleware)."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookings.models import Booking
from payments import services
from payments.forms import PackageOfferForm, RefundForm
from payments.models import PackageOffer, Payment
from payments.stripe_api import PaymentsUnavailable


@require_POST
def refund(request: HttpRequest, pk) -> HttpResponse:
    """Refund all or part of a charge, back to the booking's page with what happened."""
    charge = get_object_or_404(Payment.objects.charges(), pk=pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please give an amount to refund.")
    else:
        try:
            refunded = services.charge_refund_by_coach(
                charge=charge, amount=form.cleaned_data["amount"],
                key=form.cleaned_data["idempotency_key"],
            )  # fmt: skip
            ended = services.package_refunded_in_full(charge)
            more = " Its package pays for no more sessions." if ended else ""
            messages.success(request, f"Refunded {refunded.label}.{more}")
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except PaymentsUnavailable:
            messages.error(request, "Stripe did not answer: nothing was refunded. Try again.")
    if charge.booking_id:
        return redirect("bookings_coach:detail", charge.booking_id)
    return redirect("payments_coach:index")


def index(request: HttpRequest) -> HttpResponse:
    """Payments and refunds, newest first, filtered by kind and month; the unpaid holds."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Payment.Kind.values else ""
    month = parse_month(request.GET.get("month", ""))
    rows = (
        Payment.objects.select_related("booking__session_type", "package")
        .annotate(refunded=Coalesce(Sum("refunds__amount"), Decimal(0)))
        .order_by("-created_at", "-pk")  # an aggregate drops Meta.ordering
    )
    if kind:
        rows = rows.filter(kind=kind)
    if month:
        rows = rows.filter(created_at__year=month.year, created_at__month=month.month)
    holds = Booking.objects.filter(
        status=Booking.Status.HELD, held_until__gt=timezone.now()
    ).select_related("session_type")
    context = {
        "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
        "kind": kind, "kinds": Payment.Kind.choices, "month": f"{month:%Y-%m}" if month else "",
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        "holds": holds, "key": uuid4().hex,
    }  # fmt: skip
    return render(request, "payments/coach_list.html", context)


def parse_month(value: str) -> date | None:
    """ "2026-03" from the filter; None for anything else."""
    try:
        return date.fromisoformat(f"{value}-01") if len(value) == 7 else None
    except ValueError:
        return None


def offer_edit(request: HttpRequest, pk=None) -> HttpResponse:
    """The packages the coach sells online: the list, and a form to add or change one."""
    instance = get_object_or_404(PackageOffer, pk=pk) if pk else None
    form = PackageOfferForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        offer = form.save()
        messages.success(request, f"{offer.name} is saved.")
        return redirect("payments_coach:offers")
    offers = PackageOffer.objects.prefetch_related("session_types")
    context = {"form": form, "instance": instance, "offers": offers}
    return render(request, "payments/coach_offers.html", context)
