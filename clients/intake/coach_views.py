"""The coach's side: intakes (flagged first), one response, flags, couples, helplines.

`/coach/` is staff-only (CoachAreaMiddleware); every read of a response's answers goes through
`services.response_read`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clients.intake import forms, presentation, services
from clients.intake.couple_services import couple_invite, couple_release, pair_of
from clients.intake.models import (
    CouplePair,
    HelplineResource,
    Response,
    SafetyFlag,
    open_flag_rank,
)
from coaching.models import SiteSettings

PRIVACY_GATE_LABELS = {
    Response.Gate.YES: "Yes, answering in private: the safety questions were asked",
    Response.Gate.NO: "No, not in private: the safety questions were not asked",
    Response.Gate.UNSURE: "Not sure: the safety questions were not asked",
}
TIER_LABELS = {
    "RED": "Red: urgent",
    "AMBER": "Amber: check in privately",
    "INCOMPLETE": "Incomplete: the safety questions were not answered",
    "NONE": "None",
}


def index(request: HttpRequest) -> HttpResponse:
    responses = (
        Response.objects.annotate(flag_rank=open_flag_rank())
        .select_related("client", "instrument")
        .prefetch_related("client__people")
        .order_by(F("flag_rank").asc(nulls_last=True), F("submitted_at").desc(nulls_last=True))
    )
    page_obj = Paginator(responses, 50).get_page(request.GET.get("page"))
    return render(request, "intake/coach/index.html", {"page_obj": page_obj})


def response_detail(request: HttpRequest, public_id) -> HttpResponse:
    response = services.response_read(user=request.user, public_id=public_id, request=request)
    return render(request, "intake/coach/response.html", _response_context(response))


def _response_context(response: Response, **extra) -> dict:
    outcome = response.safety_tier()
    result = response.latest_result()
    view = None
    if result is not None:
        coach_name = SiteSettings.load().coach_first_name
        view = presentation.results_view(
            result.payload,
            tier=outcome.tier,
            coach_name=coach_name,
            concerns=response.concern_domains(),
        )
    pair, role = pair_of(response)
    return {
        "response": response,
        "tier": outcome.tier.value,
        "tier_label": TIER_LABELS[outcome.tier.value],
        "privacy_gate": PRIVACY_GATE_LABELS.get(response.privacy_gate, services.NOT_ANSWERED),
        "triggers": outcome.triggers,
        "view": view,
        "results": response.results.select_related("scheme", "triggered_by"),
        "flags": response.flags.by_severity().select_related("resolved_by"),
        "answers": services.answered_rows(response),
        "pair": pair,
        "role": role,
        "client_url": client_url(response.client) if response.client else "",
        "safe_contact": _safe_contact_label(response.safe_contact),
        "resolve_form": forms.ResolveFlagForm(),
        "invite_form": forms.CoachInviteForm(),
        **extra,
    }


def _safe_contact_label(safe_contact: dict | None) -> str:
    if not safe_contact:
        return "Not given"
    label = services.SAFE_CONTACT_CHOICES[safe_contact["choice"]]
    parts = (safe_contact.get(key, "") for key in ("phone", "times", "email"))
    details = ", ".join(part for part in parts if part)
    return f"{label}: {details}" if details else label


def client_url(client) -> str:
    return reverse("clients_coach:detail", args=[client.pk])


@require_POST
def flag_resolve(request: HttpRequest, pk) -> HttpResponse:
    flag = get_object_or_404(SafetyFlag.objects.select_related("response"), pk=pk)
    form = forms.ResolveFlagForm(request.POST)
    if form.is_valid():
        try:
            services.safety_flag_resolve(
                flag=flag, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The flag is resolved and kept in the history.")
            return redirect("intake_coach:response", flag.response.public_id)
    response = services.response_read(
        user=request.user, public_id=flag.response.public_id, request=request
    )
    context = _response_context(response, resolve_form=form, failed_flag=flag.pk)
    return render(request, "intake/coach/response.html", context, status=400)


@require_POST
def rescore(request: HttpRequest, public_id) -> HttpResponse:
    response = services.response_read(user=request.user, public_id=public_id, request=request)
    if not response.is_submitted:
        messages.error(request, "Only submitted answers can be scored.")
    else:
        services.result_compute(response=response, triggered_by=request.user)
        messages.success(request, "Scored again; the earlier result is kept.")
    return redirect("intake_coach:response", public_id)


@require_POST
def invite(request: HttpRequest, public_id) -> HttpResponse:
    response = services.response_read(user=request.user, public_id=public_id, request=request)
    form = forms.CoachInviteForm(request.POST)
    if form.is_valid():
        try:
            couple_invite(response=response, by_coach=True, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The invitation is on its way.")
            return redirect("intake_coach:response", public_id)
    context = _response_context(response, invite_form=form)
    return render(request, "intake/coach/response.html", context, status=400)


def couple(request: HttpRequest, pk) -> HttpResponse:
    pair = get_object_or_404(
        CouplePair.objects.select_related("inviter_response", "invitee_response"), pk=pk
    )
    comparison = pair.latest_comparison()
    view = None
    if comparison is not None:
        view = presentation.comparison_view(
            comparison.payload["inviter"], coach_name=SiteSettings.load().coach_first_name
        )
    flags = SafetyFlag.objects.open().filter(
        response__in=[pair.inviter_response_id, pair.invitee_response_id]
    )
    context = {"pair": pair, "comparison": comparison, "view": view, "open_flags": flags}
    return render(request, "intake/coach/couple.html", context)


@require_POST
def couple_release_view(request: HttpRequest, pk) -> HttpResponse:
    pair = get_object_or_404(CouplePair, pk=pk)
    try:
        couple_release(pair=pair, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The comparison is now shared with both partners.")
    return redirect("intake_coach:couple", pk)


def helplines(request: HttpRequest) -> HttpResponse:
    rows = HelplineResource.objects.all()
    return render(request, "intake/coach/helplines.html", {"helplines": rows})


def helpline_edit(request: HttpRequest, pk=None) -> HttpResponse:
    helpline = get_object_or_404(HelplineResource, pk=pk) if pk else None
    form = forms.HelplineForm(request.POST or None, instance=helpline)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("intake_coach:helplines")
    return render(request, "intake/coach/helpline_form.html", {"form": form, "helpline": helpline})


@require_POST
def helpline_delete(request: HttpRequest, pk) -> HttpResponse:
    get_object_or_404(HelplineResource, pk=pk).delete()
    messages.success(request, "Removed.")
    return redirect("intake_coach:helplines")
