"""The client portal at /account/: sign-in by emailed code, then their own things only."""

from allauth.account.views import request_login_code
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from clients import hooks
from clients.access import get_person_for_user, get_shared_note_for_user
from clients.audit import audit_record
from clients.data_rights import erasure_request_create, person_export_data, to_json
from clients.forms import SignInForm
from clients.models import AccessLog
from coaching.hooks import panels


@login_not_required
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def sign_in(request: HttpRequest) -> HttpResponse:
    """The portal's way in: ask for a sign-in code, then allauth's flow takes over.

    allauth's form (`ClientLoginCodeForm`) creates a client's account the first time they ask;
    this page adds the honeypot and an IP rate limit, and brings them back to the portal.
    """
    if request.user.is_authenticated:
        return redirect("clients:index")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return request_login_code(request)
    return render(request, "clients/portal_sign_in.html", {"form": form})


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    context = {
        "person": person,
        "sections": panels(hooks.portal_sections, request, person),
        "shared_notes": person.client.shared_notes.defer("body"),
        "erasure_requested": person.client.erasure_requests.filter(person=person).exists(),
    }
    return render(request, "clients/portal_index.html", context)


@never_cache
def shared_note(request: HttpRequest, pk) -> HttpResponse:
    note = get_shared_note_for_user(request, pk)
    return render(request, "clients/portal_shared_note.html", {"note": note})


@never_cache
def download(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    audit_record(
        actor=request.user,
        action=AccessLog.Action.DOWNLOAD,
        subject=person,
        obj=person,
        request=request,
    )
    response = HttpResponse(to_json(person_export_data(person)), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_POST
def erasure_request(request: HttpRequest) -> HttpResponse:
    """The client asks for erasure; the coach confirms it from the client page (then it is done)."""
    erasure_request_create(person=get_person_for_user(request))
    messages.success(
        request, "Your request is with the coach. Once the coach confirms it, your data is erased."
    )
    return redirect("clients:index")
