"""Extension points of the client record: other apps contribute without `clients` importing them.

Only declarations: the functions live in each app's `integrations.py`, registered in its
`AppConfig.ready()`. Export rows about one partner of a couple may carry `"person": <email>`: the
portal's "download my data" for one partner leaves out rows marked with the other partner's email.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

from clients.models import Client, Person
from coaching.hooks import Hook, Panel


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "booking", "intake", "email", "note", "stage", ...
    title: str
    url: str = ""
    summary: str = ""  # never note or intake content: timelines are lists


# The client page's one timeline.
timeline: Hook[Callable[[Client], list[TimelineEntry]]] = Hook("timeline")
# Parts of the client portal.
portal_sections: Hook[Callable[[HttpRequest, Person], Panel | None]] = Hook("portal_sections")
# Cards on the coach's client page (e.g. the client's message threads).
client_panels: Hook[Callable[[HttpRequest, Client], Panel | None]] = Hook("client_panels")
# JSON-ready rows for the data export, by kind.
exporters: Hook[Callable[[Client], dict[str, list[dict]]]] = Hook("exporters")
# Erase the client's personal data; counts by kind.
erasers: Hook[Callable[[Client], dict[str, int]]] = Hook("erasers")
# (booking id, label) of the sessions a note may be about.
note_bookings: Hook[Callable[[Client], list[tuple[int, str]]]] = Hook("note_bookings")
# Attended sessions in [since, until) (until None: up to now), from which packages count their
# used sessions.
sessions_attended: Hook[Callable[[Client, datetime, datetime | None], int]] = Hook(
    "sessions_attended"
)


def timeline_for(client: Client) -> list[TimelineEntry]:
    entries = [entry for provider in timeline for entry in provider(client)]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def attended_between(client: Client, since: datetime, until: datetime | None = None) -> int:
    return sum(provider(client, since, until) for provider in sessions_attended)
