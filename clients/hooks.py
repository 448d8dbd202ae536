"""How other apps contribute to the client record without `clients` importing them.

- `timeline`: fn(client) -> list[TimelineEntry], the client page's one timeline;
- `portal_sections`: fn(request, person) -> Panel | None, parts of the client portal;
- `exporters`: fn(client) -> dict[str, list[dict]], JSON-ready rows for the data export;
- `erasers`: fn(client) -> dict[str, int], erase the client's personal data, counts by kind;
- `note_bookings`: fn(client) -> list[tuple[int, str]], (booking id, label) a note may be about;
- `sessions_attended`: fn(client, since, until) -> int, attended sessions in [since, until)
  (until None: up to now), from which packages count their used sessions.

Export rows about one partner of a couple may carry `"person": <email>`: the portal's "download
my data" for one partner leaves out rows marked with the other partner's email.
"""

from dataclasses import dataclass
from datetime import datetime

from coaching.hooks import Hook


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "booking", "intake", "email", "note", "stage", ...
    title: str
    url: str = ""
    summary: str = ""  # never note or intake content: timelines are lists


timeline = Hook("timeline")
portal_sections = Hook("portal_sections")
exporters = Hook("exporters")
erasers = Hook("erasers")
note_bookings = Hook("note_bookings")
sessions_attended = Hook("sessions_attended")


def timeline_for(client) -> list[TimelineEntry]:
    entries = [entry for provider in timeline for entry in provider(client)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def attended_between(client, since, until=None) -> int:
    return sum(provider(client, since, until) for provider in sessions_attended)
