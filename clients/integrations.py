"""What the client records contribute to the practice's hooks (`coaching.hooks`), registered in
`ClientsConfig.ready()`: the dashboard's new leads, free-call conversion and client search, and
the audit of refused visits to the coach area."""

from datetime import UTC, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clients.audit import audit_record
from clients.models import AccessLog, Client, StageChange
from coaching.hooks import Panel

LEAD_DAYS = 14
CHART_MONTHS = 6


def search_panel(request) -> Panel:
    return Panel("clients/panels/_search.html", {}, order=10)


def new_leads_panel(request) -> Panel:
    since = timezone.now() - timedelta(days=LEAD_DAYS)
    recent = Client.objects.filter(created_at__gte=since)
    leads = list(recent.prefetch_related("people").order_by("-created_at")[:8])
    return Panel(
        "clients/panels/_new_leads.html",
        {"leads": leads, "count": recent.count(), "days": LEAD_DAYS},
        order=30,
    )


def _months(now, count: int) -> list:
    first = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [first]
    for _ in range(count - 1):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def conversion_by_month(now=None) -> list[dict]:
    """Per month (UTC): clients whose free call was done, and how many of them became clients."""
    months = _months(now or timezone.now(), CHART_MONTHS)
    became_client = StageChange.objects.filter(
        client=OuterRef("client"), to_stage=Client.Stage.CLIENT
    )
    rows = (
        StageChange.objects.filter(to_stage=Client.Stage.FREE_CALL_DONE, at__gte=months[0])
        .annotate(month=TruncMonth("at", tzinfo=UTC), converted=Exists(became_client))
        .values("month")
        .annotate(
            calls=Count("client", distinct=True),
            clients=Count("client", distinct=True, filter=Q(converted=True)),
        )
    )
    found = {row["month"]: row for row in rows}
    return [
        {
            "month": month,
            "calls": found.get(month, {}).get("calls", 0),
            "clients": found.get(month, {}).get("clients", 0),
        }
        for month in months
    ]


def chart_bars(data: list[dict], *, width=300, height=120) -> list[dict]:
    """Geometry for a small grouped bar chart drawn server-side (calls and conversions)."""
    top = max([row["calls"] for row in data] + [1])
    slot = width / len(data)
    bars = []
    for index, row in enumerate(data):
        x = index * slot
        for offset, key in ((0.15, "calls"), (0.5, "clients")):
            h = round(row[key] / top * (height - 20), 1)
            bars.append(
                {
                    "x": round(x + slot * offset, 1),
                    "y": round(height - 15 - h, 1),
                    "w": round(slot * 0.33, 1),
                    "h": h,
                    "kind": key,
                    "value": row[key],
                }
            )
    return bars


def conversion_panel(request) -> Panel:
    data = conversion_by_month()
    calls = sum(row["calls"] for row in data)
    converted = sum(row["clients"] for row in data)
    rate = round(100 * converted / calls) if calls else None
    labels = [
        {"x": round((i + 0.5) * 300 / len(data), 1), "text": row["month"].strftime("%b")}
        for i, row in enumerate(data)
    ]
    return Panel(
        "clients/panels/_conversion.html",
        {"data": data, "bars": chart_bars(data), "labels": labels, "rate": rate},
        order=60,
    )


def audit_coach_area_refusal(request) -> None:
    """A signed-in non-coach was refused a page of /coach/ (docs/reliability.md D-04: every
    failed authorisation)."""
    details = {"path": request.path[:200]}
    audit_record(
        actor=request.user, action=AccessLog.Action.DENIED, request=request, details=details
    )
