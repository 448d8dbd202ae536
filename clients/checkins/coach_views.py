"""The coach's side: the schedule, the trend chart, one check-in's answers, the release."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clients.access import get_client_for_coach, notes_access_required
from clients.checkins import pages, services
from clients.checkins.forms import ScheduleForm
from clients.checkins.models import CheckIn, Schedule
from clients.intake.pulse import load_bundled_pulse


@never_cache
@notes_access_required
def index(request: HttpRequest) -> HttpResponse:
    """Flagged check-ins not opened yet (the notification email links here), then every
    client with check-ins on."""
    flagged = CheckIn.objects.flagged().filter(flag_acknowledged_at=None)
    context = {
        "flagged": flagged.select_related("person").only(
            "pk", "submitted_at", "flag_tier", "client_id", "person__name"
        ),
        "schedules": Schedule.objects.filter(active=True).prefetch_related("client__people"),
    }
    return render(request, "checkins/coach_index.html", context)


@notes_access_required
@require_POST
def schedule(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        services.schedule_set(client=client, **form.cleaned_data)
        messages.success(request, "Check-ins saved.")
    return redirect("clients_coach:detail", client.pk)


@never_cache
@notes_access_required
def trend(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    context = pages.coach_context(client) | {"client": client}
    services.trend_read(client=client, user=request.user, request=request)
    context["checkins"] = (
        CheckIn.objects.filter(client=client)
        .select_related("person")
        .defer("answers", "scores", "flag_triggers")
    )
    return render(request, "checkins/coach_trend.html", context)


@notes_access_required
@require_POST
def release(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(Schedule, client_id=pk)
    try:
        services.comparison_release(schedule=found, release=request.POST.get("release") == "1")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("checkins_coach:trend", pk)


@never_cache
@notes_access_required
def checkin(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(CheckIn.objects.select_related("person", "client"), pk=pk)
    services.checkin_read(checkin=found, user=request.user, request=request)
    rows = [
        {
            "item": item,
            "answer": item.scale.label(found.answers[item.id])
            if item.id in found.answers
            else "Skipped",
        }
        for item in load_bundled_pulse().items
    ]
    return render(request, "checkins/coach_checkin.html", {"checkin": found, "rows": rows})
