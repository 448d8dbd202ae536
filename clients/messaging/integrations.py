"""What secure messages contribute to other pages, registered in `MessagingConfig.ready()`.

Panels are lists: they show "New message", counts and times, never a message's text.
"""

from clients.messaging.models import Message, Thread
from clients.messaging.services import coach_unread, threads_ensure
from clients.models import Client
from coaching.hooks import Panel

NOTES_PERMISSION = "clients.view_note"  # messages are protected as notes are


def portal_section(request, person) -> Panel:
    """The person's threads (their own, and the couple's), with what they have not read."""
    threads = Thread.objects.visible_to(person).with_unread(person).order_by("person_id")
    context = {"threads": list(threads), "couple": person.client.kind == Client.Kind.COUPLE}
    return Panel("messaging/_portal_section.html", context, order=5)


def client_panel(request, client) -> Panel | None:
    """The client's threads on the coach's page, created on first need; unread counts only."""
    if not request.user.has_perm(NOTES_PERMISSION):
        return None
    threads_ensure(client=client)
    threads = client.threads.with_unread(None).select_related("person")
    return Panel("messaging/_client_card.html", {"threads": list(threads)}, order=5)


def dashboard_panel(request) -> Panel | None:
    """How many messages wait for the coach, in how many threads (cached: no query mostly)."""
    if not request.user.has_perm(NOTES_PERMISSION):
        return None
    return Panel("messaging/_dashboard_panel.html", coach_unread(), order=15)


def export(client) -> dict[str, list[dict]]:
    """Every message of the client's threads. A private thread's rows carry its person's email,
    so one partner's own download leaves out the other's private thread (clients.hooks)."""
    found = Message.objects.filter(thread__client=client).select_related("thread__person", "sender")
    return {
        "messages": [
            {
                "thread": "shared" if message.thread.is_shared else "private",
                "person": message.thread.person.email if message.thread.person else "",
                "from": message.sender.name if message.sender else "coach",
                "text": message.body,
                "sent_at": message.created_at,
            }
            for message in found.order_by("thread_id", "created_at", "pk")
        ]
    }


def erase(client) -> dict[str, int]:
    """Erasure: the client's threads with their messages and read marks."""
    count = Message.objects.filter(thread__client=client).count()
    Thread.objects.filter(client=client).delete()
    return {"messages": count}
