"""The coach's money in figures: revenue per month (charges less refunds) as bars of an SVG chart.
One query whatever the number of payments, cached for the dashboard."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, DateField, DecimalField, F, Sum, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bookings.models import CoachCalendar
from payments.models import Payment

CHART_HEIGHT = 120
BAR_WIDTH = 28
GAP = 8


@dataclass(frozen=True)
class Bar:
    month: date
    amount: Decimal
    x: int
    y: int
    height: int
    label: str


def _months(last: date, count: int) -> list[date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def revenue_by_month(*, currency: str, today: date, zone, count: int = 12) -> list[Bar]:
    """The last `count` months' revenue in `currency` (in the coach's zone), as chart bars."""
    months = _months(today, count)
    signed = Case(
        When(kind=Payment.Kind.REFUND, then=-F("amount")),
        default=F("amount"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    totals = dict(
        Payment.objects.filter(currency=currency, created_at__date__gte=months[0])
        .annotate(month=TruncMonth("created_at", tzinfo=zone, output_field=DateField()))
        .values("month")
        .annotate(total=Sum(signed))
        .values_list("month", "total")
    )
    amounts = [totals.get(month, Decimal(0)) for month in months]
    highest = max([*amounts, Decimal(1)])
    bars = []
    for index, (month, amount) in enumerate(zip(months, amounts, strict=True)):
        height = int(CHART_HEIGHT * max(amount, Decimal(0)) / highest)
        x = index * (BAR_WIDTH + GAP)
        bars.append(Bar(month, amount, x, CHART_HEIGHT - height, height, f"{month:%b}"))
    return bars


def chart_width(bars: list[Bar]) -> int:
    return len(bars) * (BAR_WIDTH + GAP)


REVENUE_CACHE_KEY = "payments:revenue-by-month"
REVENUE_CACHE_SECONDS = 600


def revenue_chart(*, currency: str) -> list[Bar]:
    """The dashboard's bars, cached (the dashboard's query budget is spent by the time it gets
    here): no query on a hit; every new charge or refund forgets them (`forget_revenue`)."""
    bars = cache.get(REVENUE_CACHE_KEY)
    if bars is None:
        zone = CoachCalendar.load().zone
        today = timezone.now().astimezone(zone).date()
        bars = revenue_by_month(currency=currency, today=today, zone=zone)
        cache.set(REVENUE_CACHE_KEY, bars, REVENUE_CACHE_SECONDS)
    return bars


def forget_revenue() -> None:
    """Call in the transaction that records a payment: forgotten once it commits."""
    transaction.on_commit(lambda: cache.delete(REVENUE_CACHE_KEY))
