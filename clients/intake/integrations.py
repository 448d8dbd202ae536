"""What the intake contributes to other pages, registered in `IntakeConfig.ready()`.

None of these ever carries an answer, a score, a tier or a trigger: timelines and panels are
lists, and an export may reach the other partner of a couple record.
"""

from django.db.models import F, Q
from django.urls import reverse

from clients.hooks import TimelineEntry
from clients.intake.models import Response, SafetyFlag, open_flag_rank
from coaching.hooks import Panel

DASHBOARD_LIMIT = 5


def timeline(client) -> list[TimelineEntry]:
    """One entry per intake: when it was started or taken, linked to the coach's page."""
    return [
        TimelineEntry(
            when=response.submitted_at or response.started_at,
            kind="intake",
            title="Intake assessment taken" if response.is_submitted else "Intake started",
            url=reverse("intake_coach:response", args=[response.public_id]),
        )
        for response in Response.objects.for_client(client).only(
            "public_id", "submitted_at", "started_at"
        )
    ]


def portal_section(request, person) -> Panel | None:
    """The person's own results in the client portal: links only, opened through their account."""
    owned = Q(person=person) | Q(respondent=request.user)
    responses = list(Response.objects.submitted().filter(owned).only("public_id", "submitted_at"))
    if not responses:
        return None
    return Panel(template="intake/_portal_section.html", context={"responses": responses})


def export(client) -> dict[str, list[dict]]:
    """The client's responses for a data request. A couple record holds two people, and neither may
    receive the other's answers (PBI spec §6.6, docs/assessment/pbi-spec.md), so for a couple
    only the dates are exported; each partner gets their answers through their own one-person
    request or their results page."""
    rows = []
    single = client.people.count() <= 1
    for response in Response.objects.for_client(client).prefetch_related("results"):
        row = {
            "public_id": str(response.public_id),
            "instrument": str(response.instrument_id and response.instrument),
            "consent_version": response.consent_version,
            "consented_at": response.consented_at.isoformat(),
            "started_at": response.started_at.isoformat(),
            "submitted_at": response.submitted_at and response.submitted_at.isoformat(),
        }
        if single:
            row["answers"] = response.answers
            row["safe_contact"] = response.safe_contact
            row["results"] = [result.payload for result in response.results.all()]
        rows.append(row)
    return {"intake_responses": rows}


def erase(client) -> dict[str, int]:
    """Erasure: the client's responses with their answers, results, flags and comparisons."""
    responses = Response.objects.for_client(client)
    count = responses.count()
    responses.delete()
    return {"intake_responses": count}


def dashboard_panel(request) -> Panel:
    """Intakes waiting for the coach, flagged first; three queries whatever the numbers."""
    waiting = (
        Response.objects.submitted()
        .annotate(flag_rank=open_flag_rank())
        .filter(Q(reviewed_at=None) | Q(flag_rank__isnull=False))
        .select_related("client")
        .prefetch_related("client__people")
        .order_by(F("flag_rank").asc(nulls_last=True), "-submitted_at")
    )
    return Panel(
        template="intake/_dashboard_panel.html",
        context={
            "waiting": list(waiting[:DASHBOARD_LIMIT]),
            "flagged": SafetyFlag.objects.open().count(),
        },
        order=20,
    )
