"""Video-room providers: where a booking's private room comes from (`VIDEO_ROOM_PROVIDER`).

Every provider makes a room that carries nothing about the booking in its name or address (no
name, email or subject: the room's name shows on the call's screen and in browser histories),
and ends one it made. `JitsiProvider` needs no network (a random name on the coach's Jitsi
server is the room); `ZoomProvider` calls Zoom's API with a server-to-server OAuth app, so
`bookings.rooms` calls it from a task, never inside a request's transaction.
"""

import base64
import secrets
from dataclasses import dataclass
from datetime import UTC
from typing import Protocol

import requests
from django.conf import settings


class ProviderError(Exception):
    """The provider did not make (or end) the room; worth trying again later."""


@dataclass(frozen=True)
class Room:
    external_id: str  # the provider's name for it: the Jitsi room name, the Zoom meeting id
    join_url: str


class Provider(Protocol):
    key: str
    needs_network: bool

    def create(self, *, title: str, start, duration_minutes: int) -> Room: ...

    def move(self, external_id: str, *, start, duration_minutes: int) -> None: ...

    def end(self, external_id: str) -> None: ...


def room_name() -> str:
    """160 random bits in lowercase base32: Jitsi lowercases room names, so mixed-case
    tokens would lose about a bit per letter; 32 characters of [a-z2-7] lose nothing."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=").lower()


class JitsiProvider:
    """A room on a Jitsi Meet server: it exists as soon as someone opens its address."""

    key = "jitsi"
    needs_network = False

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def create(self, *, title: str, start, duration_minutes: int) -> Room:
        name = room_name()  # `title` stays with us: Jitsi shows the room's name, so no subject
        return Room(external_id=name, join_url=f"{self.base_url}/{name}")

    def move(self, external_id: str, *, start, duration_minutes: int) -> None:
        """Nothing to call: a Jitsi room has no time."""

    def end(self, external_id: str) -> None:
        """Nothing to call: the address is forgotten (no page shows it any more)."""


class ZoomProvider:
    """A scheduled meeting in the coach's Zoom account, with a waiting room. A token is asked
    for at each call: calls are few (one per confirmation, move or cancellation)."""

    key = "zoom"
    needs_network = True

    def __init__(self, *, account_id, client_id, client_secret, api_url, oauth_url, timeout):
        self.account_id, self.client_id, self.client_secret = account_id, client_id, client_secret
        self.api_url, self.oauth_url, self.timeout = api_url.rstrip("/"), oauth_url, timeout

    def _token(self) -> str:
        # Server-to-server OAuth: an account_credentials grant, no user in the loop.
        response = self._call(
            "post", self.oauth_url,
            params={"grant_type": "account_credentials", "account_id": self.account_id},
            auth=(self.client_id, self.client_secret),
        )  # fmt: skip
        return _field(response, "access_token")

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise ProviderError(f"Zoom did not answer: {type(exc).__name__}") from exc
        if response.status_code >= 400 and response.status_code != 404:
            raise ProviderError(f"Zoom answered {response.status_code}")
        return response

    def create(self, *, title: str, start, duration_minutes: int) -> Room:
        body = {
            "topic": title, "type": 2, "duration": duration_minutes, "timezone": "UTC",
            "start_time": _utc(start),
            "settings": {"waiting_room": True, "join_before_host": False},
        }  # fmt: skip
        headers = {"Authorization": f"Bearer {self._token()}"}
        response = self._call(
            "post", f"{self.api_url}/users/me/meetings", json=body, headers=headers
        )
        if response.status_code != 201:
            raise ProviderError(f"Zoom answered {response.status_code}")
        join_url = str(_field(response, "join_url"))
        if not join_url.startswith("https://"):  # it goes into emails and calendars
            raise ProviderError("Zoom's join_url is not an https:// address")
        return Room(external_id=str(_field(response, "id")), join_url=join_url)

    def move(self, external_id: str, *, start, duration_minutes: int) -> None:
        """The same meeting (its link unchanged) at the booking's new time."""
        body = {"start_time": _utc(start), "duration": duration_minutes, "timezone": "UTC"}
        headers = {"Authorization": f"Bearer {self._token()}"}
        self._call("patch", f"{self.api_url}/meetings/{external_id}", json=body, headers=headers)

    def end(self, external_id: str) -> None:
        """Delete the meeting; one already gone (404) is as good."""
        headers = {"Authorization": f"Bearer {self._token()}"}
        self._call("delete", f"{self.api_url}/meetings/{external_id}", headers=headers)


def _field(response: requests.Response, name: str):
    try:
        return response.json()[name]
    except (ValueError, KeyError, TypeError):
        raise ProviderError(f"Zoom's answer has no {name}") from None


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def get_provider(key: str | None = None) -> Provider:
    """The configured provider, or the one named `key` (a room is ended by its own provider,
    even after the coach switched)."""
    key = key or settings.VIDEO_ROOM_PROVIDER
    if key == "zoom":
        return ZoomProvider(
            account_id=settings.ZOOM_ACCOUNT_ID, client_id=settings.ZOOM_CLIENT_ID,
            client_secret=settings.ZOOM_CLIENT_SECRET, api_url=settings.ZOOM_API_URL,
            oauth_url=settings.ZOOM_OAUTH_URL, timeout=settings.VIDEO_ROOM_TIMEOUT,
        )  # fmt: skip
    if key == "jitsi":
        return JitsiProvider(settings.VIDEO_ROOM_BASE_URL)
    raise ProviderError(f"No video-room provider called {key!r}.")
