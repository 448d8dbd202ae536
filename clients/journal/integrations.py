"""What the journal contributes to other pages, registered in `JournalConfig.ready()`.

Lists show dates only. The export is read by the coach (a ZIP) and by each partner (their own
download), so it carries the shared entries only; a person downloads their whole journal from
its page (`journal:download`).
"""

from clients.journal.models import Entry
from coaching.hooks import Panel

NOTES_PERMISSION = "clients.view_note"  # shared entries are protected as notes are


def portal_section(request, person) -> Panel:
    count = person.journal_entries.count()
    return Panel("journal/_portal_section.html", {"count": count}, order=6)


def client_panel(request, client) -> Panel | None:
    """The entries the client's people share with the coach: who and when, never the text."""
    if not request.user.has_perm(NOTES_PERMISSION):
        return None
    shared = Entry.objects.shared().filter(person__client=client).select_related("person")
    return Panel("journal/_client_card.html", {"entries": list(shared.defer("body"))}, order=6)


def export(client) -> dict[str, list[dict]]:
    """The entries shared with the coach; private ones stay out of the coach's sight."""
    shared = Entry.objects.shared().filter(person__client=client).select_related("person")
    return {
        "journal": [
            {
                "person": entry.person.email,  # a partner's own download leaves the other's out
                "written_at": entry.created_at,
                "shared_with_coach_at": entry.shared_at,
                "text": entry.body,
            }
            for entry in shared
        ]
    }


def erase(client) -> dict[str, int]:
    deleted = Entry.objects.filter(person__client=client).delete()[1]
    return {"journal_entries": deleted.get("journal.Entry", 0)}
