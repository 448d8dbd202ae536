"""Taking the assessment: intro, consent, privacy gate, one section per page, results.

The response in progress is named by the session; a signed link (emailed on request) or their
account puts it back in the session. Every page shows the Quick exit and the safety link.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from clients.intake import forms, pages, services
from clients.intake.couple_services import couple_invite, pair_for_token
from clients.intake.models import Response
from coaching.tokens import TokenExpired, TokenInvalid, read_token

SESSION_KEY = "intake_response"
RESUME_MAX_AGE = 60 * 60 * 24 * 30  # 30 days


def _get_response_for_session(request: HttpRequest) -> Response:
    public_id = request.session.get(SESSION_KEY)
    response = (
        Response.objects.select_related("instrument").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if response is None:
        raise Http404("No assessment in progress.")
    return response


def _remember(request: HttpRequest, response: Response) -> None:
    request.session[SESSION_KEY] = str(response.public_id)


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    public_id = request.session.get(SESSION_KEY)
    in_progress = Response.objects.filter(public_id=public_id).first() if public_id else None
    context = {"in_progress": in_progress, "question_count": pages.question_count()}
    return render(request, "intake/index.html", context)


@login_not_required
@never_cache
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def start(request: HttpRequest) -> HttpResponse:
    form = forms.ConsentForm(request.POST or None, initial=pages.consent_initial(request))
    if request.method == "POST" and form.is_valid():
        response = services.response_start(country=form.cleaned_data["country"], user=request.user)
        _remember(request, response)
        return redirect("intake:gate")
    return render(request, "intake/start.html", pages.consent_context(request, form))


@login_not_required
@never_cache
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def partner(request: HttpRequest, token) -> HttpResponse:
    try:
        pair = pair_for_token(token)
    except TokenExpired:  # genuine but too old: gone, not unknown
        return render(request, "intake/invalid_link.html", status=410)
    if pair is None:
        return render(request, "intake/invalid_link.html", status=404)
    form = forms.PartnerConsentForm(request.POST or None, initial=pages.consent_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_start(
                country=form.cleaned_data["country"],
                share_intimacy=form.cleaned_data["share_intimacy"],
                user=request.user,
                pair=pair,
            )
        except ValidationError:
            return render(request, "intake/invalid_link.html", status=404)
        _remember(request, response)
        return redirect("intake:gate")
    context = pages.consent_context(request, form)
    context |= {"partner": True, "by_coach": pair.invited_by_coach}
    return render(request, "intake/start.html", context)


@login_not_required
@never_cache
@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def gate(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    form = forms.GateForm(request.POST or None, initial={"gate": response.privacy_gate})
    if request.method == "POST" and form.is_valid():
        services.response_set_gate(response=response, gate=form.cleaned_data["gate"])
        if response.safety_asked:
            return redirect("intake:section", name=pages.first_page())
        return redirect("intake:gate_caution")
    return render(request, "intake/gate.html", {"form": form, "response": response})


@login_not_required
@never_cache
def gate_caution(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    return render(
        request, "intake/gate_caution.html", {"response": response, "first": pages.first_page()}
    )


@login_not_required
@never_cache
@ratelimit(key="ip", rate="300/h", method="POST", block=True)
def section(request: HttpRequest, name) -> HttpResponse:
    response = _get_response_for_session(request)
    if response.is_submitted:
        return redirect("intake:results")
    names = pages.page_names(response)
    if name not in names:
        raise Http404
    if request.method == "POST":
        return _save_section(request, response, name, names)
    return render(request, "intake/section.html", pages.section_context(response, name, names))


def _save_section(request: HttpRequest, response: Response, name: str, names: list[str]):
    item_ids = pages.item_ids(response, name)
    raw = {} if "skip_section" in request.POST else request.POST
    try:
        services.response_save_answers(response=response, item_ids=item_ids, raw=raw)
    except ValidationError as exc:
        context = pages.section_context(response, name, names) | {"errors": exc.messages}
        return render(request, "intake/section.html", context, status=400)
    index = names.index(name)
    if "back" in request.POST:
        previous = names[index - 1] if index else None
        return redirect("intake:section", name=previous) if previous else redirect("intake:gate")
    if "later" in request.POST:
        return redirect("intake:later")
    if index + 1 < len(names):
        return redirect("intake:section", name=names[index + 1])
    services.response_submit(response=response)
    return redirect("intake:results")


@login_not_required
@never_cache
def results(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    if not response.is_submitted:
        return redirect("intake:section", name=pages.resume_page(response))
    return render(request, "intake/results.html", pages.results_context(request, response))


@login_not_required
@never_cache
def resume(request: HttpRequest, token) -> HttpResponse:
    try:
        public_id = read_token(services.RESUME_PURPOSE, token, max_age=RESUME_MAX_AGE)
    except TokenExpired:  # genuine but too old: gone, not unknown
        return render(request, "intake/invalid_link.html", status=410)
    except TokenInvalid:
        return render(request, "intake/invalid_link.html", status=404)
    response = Response.objects.filter(public_id=public_id).first()
    if response is None:
        return render(request, "intake/invalid_link.html", status=404)
    _remember(request, response)
    if response.is_submitted:
        return redirect("intake:results")
    return redirect("intake:section", name=pages.resume_page(response))


def mine(request: HttpRequest, public_id) -> HttpResponse:
    """The client's own results from the portal (signed in)."""
    response = _get_response_for_user(request, public_id)
    _remember(request, response)
    return redirect("intake:results")


def _get_response_for_user(request: HttpRequest, public_id) -> Response:
    from django.db.models import Q

    owned = Q(respondent=request.user) | Q(person__user=request.user)
    response = Response.objects.filter(owned, public_id=public_id).first()
    if response is None:
        raise Http404
    return response


@login_not_required
@never_cache
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def later(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    form = forms.EmailLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.response_attach_email(
            response=response, email=form.cleaned_data["email"], name=form.cleaned_data["name"]
        )
        return render(request, "intake/later.html", {"sent": True, "response": response})
    return render(request, "intake/later.html", {"form": form, "response": response})


@login_not_required
@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def safe_contact(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    if not response.is_submitted:  # a forged post before the results exist
        return redirect("intake:section", name=pages.resume_page(response))
    form = forms.SafeContactForm(request.POST, has_email=response.person_id is not None)
    if form.is_valid():
        services.response_set_safe_contact(response=response, **form.cleaned_data)
        messages.success(request, "Thank you. We will only contact you the way you chose.")
        return redirect(reverse("intake:results") + "#safe-contact")
    context = pages.results_context(request, response) | {"safe_contact_form": form}
    return render(request, "intake/results.html", context, status=400)


@login_not_required
@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def invite(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    if not response.is_submitted:  # a forged post before the results exist
        return redirect("intake:section", name=pages.resume_page(response))
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        try:
            couple_invite(
                response=response,
                email=form.cleaned_data["email"],
                share_intimacy=form.cleaned_data["share_intimacy"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your invitation is on its way.")
            return redirect(reverse("intake:results") + "#partner")
    context = pages.results_context(request, response) | {"invite_form": form}
    return render(request, "intake/results.html", context, status=400)


@login_not_required
@never_cache
def comparison(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    return render(request, "intake/comparison.html", pages.comparison_context(response))


@login_not_required
@never_cache
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def delete(request: HttpRequest) -> HttpResponse:
    response = _get_response_for_session(request)
    if request.method == "POST":
        services.response_delete(response=response)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "Your answers and results have been deleted.")
        return redirect("intake:index")
    return render(request, "intake/delete.html", {"response": response})
