"""Reading and signing the agreement: in the portal (signed in) or by a signed link (no
account). Both show the exact current version and record the signature the same way."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from clients.access import get_person_for_user
from clients.agreements import services
from clients.agreements.forms import SignForm
from clients.agreements.models import Signature
from clients.models import Person
from coaching.tokens import TokenExpired, TokenInvalid

SIGN_RATE = "20/h"


def _sign_page(request: HttpRequest, person: Person, via: str) -> HttpResponse:
    version = services.current_version()
    if version is None:
        raise Http404
    signature = services.signature_for(person, version)
    form = SignForm(request.POST or None, initial={"version": version.number})
    if request.method == "POST" and signature is None and form.is_valid():
        try:
            services.agreement_sign(
                person=person, version_number=form.cleaned_data["version"],
                typed_name=form.cleaned_data["full_name"],
                ip=request.META.get(settings.RATELIMIT_IP_META_KEY),
                user_agent=request.headers.get("User-Agent", ""), via=via,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you: you signed version {version.number}.")
            return redirect(request.path)
    earlier = person.agreement_signatures.select_related("version").first()
    context = {"person": person, "version": version, "signature": signature, "form": form}
    context["earlier"] = earlier if signature is None else None
    return render(request, "agreements/sign.html", context)


@never_cache
@ratelimit(key="user", rate=SIGN_RATE, method="POST", block=True)
def index(request: HttpRequest) -> HttpResponse:
    return _sign_page(request, get_person_for_user(request), Signature.Via.PORTAL)


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=SIGN_RATE, method="POST", block=True)
def sign_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person = services.person_for_token(token)
    except TokenExpired:
        return render(request, "agreements/bad_link.html", {"expired": True}, status=410)
    except TokenInvalid:
        person = None
    if person is None:
        return render(request, "agreements/bad_link.html", {"expired": False}, status=400)
    return _sign_page(request, person, Signature.Via.LINK)
