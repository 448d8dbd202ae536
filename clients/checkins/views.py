"""The person's check-ins in the portal: answer the pulse, see their own trend (another's
check-in id is a 404)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from clients.access import get_person_for_user
from clients.audit import audit_record
from clients.checkins import pages, services
from clients.checkins.models import CheckIn, Schedule
from clients.intake.pages import helplines_for, question
from clients.intake.pulse import load_bundled_pulse
from clients.intake.safety import Tier
from clients.models import AccessLog

SECTION_TITLES = {
    "emotional": "Emotional",
    "financial": "Money",
    "social": "Social life",
    "sexual": "Intimacy",
    "together": "How you are together",
    "safety": "Your safety",
}


def _get_checkin_for_user(request, pk) -> CheckIn:
    person = get_person_for_user(request)
    checkin = CheckIn.objects.filter(pk=pk, person=person).first()
    if checkin is None:
        details = {"object": "checkin"}
        audit_record(
            actor=request.user, action=AccessLog.Action.DENIED, request=request, details=details
        )
        raise Http404
    return checkin


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    return render(request, "checkins/index.html", pages.person_context(person))


@never_cache
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def new(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    if not Schedule.objects.filter(client_id=person.client_id, active=True).exists():
        raise Http404
    form_id, error = _form_id(request.POST.get("form_id")) or uuid.uuid4(), None
    if request.method == "POST":
        try:
            checkin = services.checkin_submit(person=person, raw=request.POST, form_id=form_id)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, "Thank you: your check-in is saved.")
            return redirect("checkins:done", checkin.pk)
    sections = [
        {"title": SECTION_TITLES[name], "questions": [question(item, None) for item in items]}
        for name, items in load_bundled_pulse().sections()
        if items
    ]
    context = {"sections": sections, "error": error, "form_id": form_id}
    return render(request, "checkins/new.html", context)


def _form_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


@never_cache
def done(request: HttpRequest, pk) -> HttpResponse:
    """After answering: the support panel when the safety screen calls for it (RED or AMBER)."""
    checkin = _get_checkin_for_user(request, pk)
    tier = services.checkin_tier(checkin)
    context = {
        "checkin": checkin,
        "red": tier == Tier.RED,
        "amber": tier == Tier.AMBER,
        "helplines": helplines_for(_country(checkin)),
    }
    return render(request, "checkins/done.html", context)


def _country(checkin: CheckIn) -> str:
    """Where the person said they live in their intake; the UK table otherwise."""
    response = checkin.person.intake_responses.order_by("-started_at").first()
    return response.country if response else "UK"
