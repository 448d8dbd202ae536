"""The coach reads an entry that its person shares with the coach; nothing else of the journal."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clients.access import notes_access_required
from clients.journal.models import Entry
from clients.journal.services import entry_read_by_coach


@never_cache
@notes_access_required
def entry(request: HttpRequest, pk) -> HttpResponse:
    found = Entry.objects.shared().select_related("person__client").filter(pk=pk).first()
    if found is None:  # private entries do not exist, as far as the coach's pages go
        raise Http404
    entry_read_by_coach(entry=found, actor=request.user, request=request)
    return render(request, "journal/coach_entry.html", {"entry": found})
