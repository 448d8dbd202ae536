"""The coach's money in figures: revenue per month (charges less refunds) as bars of an SVG chart.
One query whatever the number of payments."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, DateField, DecimalField, F, Sum, When
from django.db.models.functions import TruncMonth

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
