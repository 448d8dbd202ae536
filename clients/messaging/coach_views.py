"""The coach's messages: the inbox of threads (no text, only counts and times) and a thread.

Both need what notes need (clients.access.notes_access_required): staff without the notes
permission get a 404, and every read of a thread goes to the access log.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from clients.access import notes_access_required
from clients.messaging.forms import MessageForm
from clients.messaging.models import Thread
from clients.messaging.services import message_send, thread_open


@never_cache
@notes_access_required
def inbox(request: HttpRequest) -> HttpResponse:
    threads = (
        Thread.objects.exclude(last_message_at=None)
        .with_unread(None)
        .select_related("client", "person")
        .prefetch_related("client__people")
        .order_by("-last_message_at", "-pk")
    )
    page_obj = Paginator(threads, 25).get_page(request.GET.get("page"))
    return render(request, "messaging/coach_inbox.html", {"page_obj": page_obj})


@never_cache
@notes_access_required
def thread(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(Thread.objects.select_related("client", "person"), pk=pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message_send(
            thread=found, sender=None, body=form.cleaned_data["body"], actor=request.user,
            request=request,
        )  # fmt: skip
        messages.success(request, "Reply sent.")
        return redirect("messaging_coach:thread", found.pk)
    context = {
        "thread": found,
        "client": found.client,
        "thread_messages": thread_open(thread=found, reader=None, request=request),
        "form": form,
    }
    return render(request, "messaging/coach_thread.html", context)
