"""The coach's client list, client page and the actions on them."""

import csv

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clients import forms, hooks, services
from clients.access import can_read_notes, get_client_for_coach
from clients.models import AccessLog, Client, Package
from coaching.hooks import panels
from coaching.spreadsheets import csv_cell

PAGE_SIZE = 25


def filtered_clients(params) -> tuple[forms.ClientFilterForm, object]:
    form = forms.ClientFilterForm(params or None)
    clients = Client.objects.all()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        clients = clients.search(data["q"])
    if data.get("stage"):
        clients = clients.filter(stage=data["stage"])
    if data.get("source"):
        clients = clients.filter(source=data["source"])
    if data.get("tag"):
        clients = clients.filter(tags=data["tag"])
    if data.get("review"):
        clients = clients.exclude(review_flagged_at=None)
    order = forms.SORTS.get(data.get("sort") or "newest", "-created_at")
    if order == "first_name":  # only then: the join and grouping cost on a long list
        clients = clients.annotate(first_name=Min("people__name"))
    return form, clients.order_by(order, "-pk")


@never_cache
def client_list(request: HttpRequest) -> HttpResponse:
    form, clients = filtered_clients(request.GET)
    clients = clients.prefetch_related("people", "tags")
    page_obj = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "query": query.urlencode(),
        "stages": Client.Stage.choices,
    }
    return render(request, "clients/coach_list.html", context)


def _csv_values(client: Client) -> list:
    people = list(client.people.all())
    return [
        client.pk,
        "; ".join(p.name for p in people),
        "; ".join(p.email for p in people),
        "; ".join(p.phone for p in people if p.phone),
        client.kind,
        client.stage,
        client.source,
        "; ".join(t.name for t in client.tags.all()),
        client.created_at.isoformat(),
    ]


class _Echo:
    def write(self, value):
        return value


@never_cache
def client_csv(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV: contact details and pipeline data, never notes."""
    _, clients = filtered_clients(request.GET)
    clients = clients.prefetch_related("people", "tags")
    writer = csv.writer(_Echo())
    header = ["id", "names", "emails", "phones", "kind", "stage", "source", "tags", "created"]

    def rows():
        yield writer.writerow(header)
        for client in clients.iterator(chunk_size=500):
            yield writer.writerow([csv_cell(value) for value in _csv_values(client)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clients.csv"'
    return response


@require_POST
def client_bulk_stage(request: HttpRequest) -> HttpResponse:
    form = forms.BulkStageForm(request.POST)
    if form.is_valid():
        ids = [client.pk for client in form.cleaned_data["clients"]]
        moved = services.clients_set_stage(
            client_ids=ids, to=form.cleaned_data["stage"], by=request.user
        )
        messages.success(request, f"{moved} client(s) moved.")
    else:
        messages.error(request, "Choose at least one client and a stage.")
    return redirect(request.POST.get("back") or "clients_coach:index")


def client_create(request: HttpRequest) -> HttpResponse:
    form = forms.ClientCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors lands on its fields
        else:
            messages.success(request, f"{client.display_name} added.")
            return redirect("clients_coach:detail", client.pk)
    return render(request, "clients/coach_create.html", {"form": form})


def client_edit(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = forms.ClientDetailsForm(request.POST or None, instance=client)
    people = forms.PeopleFormSet(request.POST or None, instance=client, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        with transaction.atomic():
            form.save()
            people.save()
        messages.success(request, "Details saved.")
        return redirect("clients_coach:detail", client.pk)
    return render(
        request, "clients/coach_edit.html", {"client": client, "form": form, "people": people}
    )


@never_cache
def client_detail(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    bookings = [choice for provider in hooks.note_bookings for choice in provider(client)]
    context = {
        "client": client,
        "people": list(client.people.prefetch_related("consents")),
        "packages": services.packages_with_usage(client=client),
        "timeline": hooks.timeline_for(client),
        "notes_unlocked": can_read_notes(request),
        "second_factor_set_up": is_mfa_enabled(request.user),
        "note_form": forms.NoteForm(client=client, bookings=bookings),
        "shared_form": forms.SharedNoteForm(prefix="shared"),
        "package_form": forms.PackageForm(prefix="package"),
        "consent_form": forms.ConsentForm(client=client, prefix="consent"),
        "stage_form": forms.StageForm(initial={"stage": client.stage}),
        "tags_form": forms.TagsForm(
            initial={"tags": ", ".join(tag.name for tag in client.tags.all())}
        ),
        "erase_form": forms.EraseForm(),
        "erasure_requests": client.erasure_requests.select_related("person"),
        "shared_notes": client.shared_notes.defer("body"),
        "panels": panels(hooks.client_panels, request, client),
    }
    return render(request, "clients/coach_detail.html", context)


@require_POST
def client_stage(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = forms.StageForm(request.POST)
    if form.is_valid() and services.client_set_stage(
        client=client, to=form.cleaned_data["stage"], by=request.user
    ):
        messages.success(request, f"Stage: {client.get_stage_display()}.")
    return redirect("clients_coach:detail", client.pk)


@require_POST
def client_tags(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = forms.TagsForm(request.POST)
    if form.is_valid():
        services.client_set_tags(client=client, names=form.names())
        messages.success(request, "Tags saved.")
    return redirect("clients_coach:detail", client.pk)


def _valid_data(form) -> dict:
    """The form's data, or a refusal that names what to correct."""
    if not form.is_valid():
        raise ValidationError("Please check the form: " + form.errors.as_text())
    return form.cleaned_data


@require_POST
def client_package(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    try:
        services.package_create(
            client=client, **_valid_data(forms.PackageForm(request.POST, prefix="package"))
        )
        messages.success(request, "Package added.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("clients_coach:detail", client.pk)


@require_POST
def package_paid(request: HttpRequest, pk) -> HttpResponse:
    package = get_object_or_404(Package, pk=pk)
    services.package_set_paid(package=package, paid=request.POST.get("paid") == "yes")
    messages.success(request, f"{package.name}: {'paid' if package.paid else 'unpaid'}.")
    return redirect("clients_coach:detail", package.client_id)


@require_POST
def client_shared_note(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    try:
        services.shared_note_create(
            client=client, **_valid_data(forms.SharedNoteForm(request.POST, prefix="shared"))
        )
        messages.success(request, "Shared with the client in their portal.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("clients_coach:detail", client.pk)


@require_POST
def client_consent(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = forms.ConsentForm(request.POST, client=client, prefix="consent")
    try:
        services.consent_record(**_valid_data(form))
        messages.success(request, "Consent recorded.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("clients_coach:detail", client.pk)


@require_POST
def client_invite(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    try:
        services.client_invite(client=client)
        messages.success(request, "Portal invitation sent.")
    except ValidationError as error:
        messages.error(request, "No invitation sent. " + " ".join(error.messages))
    return redirect("clients_coach:detail", client.pk)


def access_log(request: HttpRequest) -> HttpResponse:
    entries = AccessLog.objects.all()
    client_id = request.GET.get("client")
    if client_id and client_id.isdigit():
        entries = entries.filter(client_id=int(client_id))
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "clients/coach_access_log.html", {"page_obj": page_obj})
