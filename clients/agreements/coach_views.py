"""The coach's agreement: the versions with how many signed each, a new version, who signed a
version, and emailing a client's people the signing link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from clients.access import get_client_for_coach
from clients.agreements import services
from clients.agreements.forms import AgreementForm
from clients.agreements.models import AgreementVersion


def index(request: HttpRequest) -> HttpResponse:
    versions = AgreementVersion.objects.annotate(signed=Count("signatures"))
    return render(request, "agreements/coach_index.html", {"versions": versions})


def publish(request: HttpRequest) -> HttpResponse:
    current = services.current_version()
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_publish(text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Version {version.number} published: everyone signs it before their "
                "next paid session.",
            )  # fmt: skip
            return redirect("agreements_coach:version", version.number)
    return render(request, "agreements/coach_publish.html", {"form": form, "current": current})


def version(request: HttpRequest, number) -> HttpResponse:
    found = get_object_or_404(AgreementVersion, number=number)
    signatures = found.signatures.select_related("person__client")
    context = {"version": found, "signatures": signatures, "current": services.current_version()}
    return render(request, "agreements/coach_version.html", context)


# Signing-link emails per client record: a second click sends again, a tenth does not flood.
ASK_RATE = "3/h"


def _client_record(group: str, request: HttpRequest) -> str:
    return request.path  # the client's own ask URL


@require_POST
@ratelimit(key=_client_record, rate=ASK_RATE, method="POST", block=False)
def ask(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    if request.limited:
        messages.info(request, "The signing link went out several times this hour: try later.")
        return redirect("clients_coach:detail", client.pk)
    sent = services.agreement_request_send(client=client)
    if sent:
        names = ", ".join(person.name for person in sent)
        messages.success(request, f"Signing link emailed to {names}.")
    else:
        messages.info(request, "Everyone has signed the current version.")
    return redirect("clients_coach:detail", client.pk)
