import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from bookings.forms import slot_id
from bookings.services import Booker
from tests.bookings.factories import FreeCallFactory, SessionTypeFactory, open_every_day
from tests.bookings.fake_zoom import FakeZoom

# A Monday in January: London time equals UTC, which keeps expectations readable.
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
# Pairs of bookings that block overlapping time on one calendar: always 0.
OVERLAPS = """
    SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
      ON a.id < b.id AND a.calendar_id = b.calendar_id
     AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)
    WHERE a.status IN ('held', 'pending', 'confirmed')
      AND b.status IN ('held', 'pending', 'confirmed')
"""


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session_type(db):
    session_type = SessionTypeFactory()
    open_every_day(session_type.calendar)
    return session_type


@pytest.fixture
def free_call(db):
    free_call = FreeCallFactory()
    open_every_day(free_call.calendar)
    return free_call


def booker(n: int = 0, **kwargs) -> Booker:
    return Booker(**{"name": f"Booker {n}", "email": f"booker{n}@example.org", **kwargs})


def book_through_the_form(client, session_type, start, **fields) -> str:
    """Book as a visitor does, through the form (its session then knows it booked); the
    confirmation page's URL."""
    data = {
        "name": "Ada Lovelace", "email": "ada@example.org", "consent": "on",
        "start": slot_id(start), "time_zone": "America/New_York", "website": "", **fields,
    }  # fmt: skip
    response = client.post(reverse("bookings:form", args=[session_type.slug]), data)
    assert response.status_code == 303, response.status_code
    return response["Location"]


@pytest.fixture
def fake_zoom(settings):
    """Zoom as the provider, its API on a local server."""
    server = FakeZoom()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.VIDEO_ROOM_PROVIDER = "zoom"
    settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID = "acct", "client"
    settings.ZOOM_CLIENT_SECRET = "secret"
    settings.ZOOM_API_URL, settings.ZOOM_OAUTH_URL = f"{server.url}/v2", f"{server.url}/oauth/token"
    settings.VIDEO_ROOM_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
