"""Messages in the client portal: the person's private thread and, in a couple, the shared one.

Neither URL carries an id: the thread is found from the signed-in person, so no one can ask for
a thread that is not theirs (a single person's "couple" URL is a 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from clients.access import get_person_for_user
from clients.messaging.forms import MessageForm
from clients.messaging.services import message_send, thread_for_person, thread_open


@never_cache
@ratelimit(key="user", rate="30/h", method="POST", block=True)  # per signed-in person
def thread(request: HttpRequest, shared: bool = False) -> HttpResponse:
    person = get_person_for_user(request)
    try:
        found = thread_for_person(person=person, shared=shared)
    except ValidationError:
        raise Http404 from None
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message_send(thread=found, sender=person, body=form.cleaned_data["body"])
        messages.success(request, "Message sent. Your coach has been told, without its text.")
        return redirect(request.path)
    context = {
        "thread": found,
        "person": person,
        "thread_messages": thread_open(thread=found, reader=person),
        "form": form,
    }
    return render(request, "messaging/portal_thread.html", context)
