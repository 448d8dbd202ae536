"""The person's journal in the portal: their own entries only (another's id is a 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from clients.access import get_person_for_user, refused
from clients.data_rights import to_json
from clients.journal.forms import EntryForm
from clients.journal.models import Entry
from clients.journal.services import entry_create, entry_delete, entry_update


def _get_entry_for_user(request, pk) -> Entry:
    person = get_person_for_user(request)
    entry = Entry.objects.filter(pk=pk, person=person).first()
    if entry is None:
        raise refused(request, "journal_entry")
    return entry


@never_cache
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def index(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry_create(person=person, **form.cleaned_data)
        messages.success(request, "Entry saved.")
        return redirect("journal:index")
    entries = person.journal_entries.defer("body")
    return render(request, "journal/index.html", {"form": form, "entries": entries})


@never_cache
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def entry(request: HttpRequest, pk) -> HttpResponse:
    found = _get_entry_for_user(request, pk)
    initial = {"body": found.body, "share": found.is_shared}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry_update(entry=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Entry saved.")
            return redirect("journal:entry", found.pk)
    return render(request, "journal/entry.html", {"entry": found, "form": form})


def delete(request: HttpRequest, pk) -> HttpResponse:
    found = _get_entry_for_user(request, pk)  # first: another's entry is a 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry_delete(entry=found)
    messages.success(request, "Entry deleted.")
    return redirect("journal:index")


@never_cache
def download(request: HttpRequest) -> HttpResponse:
    """Every entry of the person's own journal, with its text (shared or not)."""
    person = get_person_for_user(request)
    rows = list(person.journal_entries.values("created_at", "updated_at", "shared_at", "body"))
    response = HttpResponse(to_json({"journal": rows}), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-journal.json"'
    return response
