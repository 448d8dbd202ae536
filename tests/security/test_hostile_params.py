"""Hostile values in the URL: whatever a date, a month, a zone, a slot id or a search says, no
page answers 5xx (DEBUG off, as in production).

The parameters are not listed by hand: every route of the URLconf is visited once and the query
keys it reads are recorded (views, their forms, the admin and the middleware alike), so a
parameter added tomorrow is attacked tomorrow. Hypothesis then sends extreme and malformed
values to each, with a hostile `tz` cookie too.
"""

import itertools
from datetime import datetime

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bookings.links import manage_token
from tests.security.conftest import url_for
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
EXTREMES = [
    "", " ", "\x00", "a\x00b", "%00", "-1", "0", "1e309", "NaN", str(2**63), str(10**30), "---",
    "0001-01-01", "0000-00-00", "9999-12-31", "9999-12-01", "10000-01-01", "2026-02-30",
    "2026-13-01", "+2026-01-01", "2026-W53-7", "20260101", "1900-01-01", "2999-12-31",
    "99991231T235959Z", "00010101T000000Z", "00000000T000000Z", "20261301T000000Z",
    "29991231T235959Z", "2026-01-01T10:00:00Z", "Europe/London", "Asia/Calcutta", "US/Pacific",
    "Etc/GMT-14", "localtime", "../../../etc/passwd", "/" * 300, "A" * 300, "Z" * 5000,
    "Europe/" + "x" * 255, "é" * 300, "𝕬𝖉𝖆 🙂", "\u202e\ufeff", "<script>", "' OR 1=1 --", "%",
]  # fmt: skip


def _day(moment: datetime) -> str:
    return f"{moment.year:04}-{moment.month:02}-{moment.day:02}"


def _slot(moment: datetime) -> str:
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment:%H%M%S}Z"


hostile = st.one_of(
    st.sampled_from(EXTREMES),
    st.datetimes().map(_day),  # years 1 to 9999
    st.datetimes().map(_slot),
    st.integers().map(str),
    st.text(max_size=40),
    st.text(min_size=250, max_size=400),
)
# What a browser can send in a cookie: no separator or NUL; UTF-8 bytes, read as Latin-1.
hostile_cookie = hostile.filter(lambda v: not {";", "\x00"} & set(v)).map(
    lambda v: v.encode().decode("latin-1")
)


class ReadRecorder(QueryDict):
    """A request's query that notes each key a view, a form or a middleware asks for."""

    def __init__(self, query_string=None, mutable=False, encoding=None, *, read=None):
        self.read = set() if read is None else read  # QueryDict's own __init__ reads keys
        super().__init__(query_string, mutable=mutable, encoding=encoding)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)


def _recording(read: set) -> property:
    """A `request.GET` that adds the keys asked for to `read`."""
    return property(lambda request: ReadRecorder(request.META["QUERY_STRING"], read=read))


def _visitor(route, coach) -> Client:
    client = Client()
    if route.category in ("coach", "admin"):
        client.force_login(coach)
    return client


@pytest.fixture
def reading_routes(site, coach, monkeypatch):
    """(route name, URL, client, the query keys it reads) for every GET route."""
    found = []
    for route in all_routes():
        url = url_for(route, site)
        if not url or route.category in ("allauth", "client"):
            continue
        read, client = set(), _visitor(route, coach)
        with monkeypatch.context() as patch:
            patch.setattr(WSGIRequest, "GET", _recording(read))
            # Any query at all: a filter form is bound only to a non-empty one.
            client.get(url, {"probe": "1"}, REMOTE_ADDR=next(ADDRESSES))
        found.append((route.name, url, client, sorted(read - {"probe"})))
    # The move page of a real booking (the walk's made-up token is a 404).
    move = reverse("bookings:move", args=[manage_token(site.booking)])
    found.append(("bookings:move", move, Client(), ["day", "month", "tz"]))
    return found


def test_no_hostile_query_value_is_a_server_error(settings, reading_routes):
    settings.DEBUG = False
    reads = {(name, key) for name, _, _, keys in reading_routes for key in keys}
    known = {
        ("bookings:book", "month"), ("bookings:book", "tz"), ("bookings:form", "start"),
        ("bookings:move", "month"), ("bookings_coach:week", "start"), ("home", "tz"),
        ("newsletter_coach:subscribers", "q"), ("clients_coach:index", "q"),
        ("newsletter_coach:audience_count", "joined_from"),
        ("admin:clients_client_changelist", "q"),
    }  # fmt: skip
    assert known <= reads, known - reads  # the walk sees what the views read
    # Three equal shares: the project's own parameters, the admin's, and `tz` alone (read by
    # the middleware on every page).
    own = [entry for entry in reading_routes if entry[3] != ["tz"] and ":" in entry[0]]
    admin = [entry for entry in own if entry[0].startswith("admin:")]
    own = [entry for entry in own if entry not in admin]
    zone_only = [entry for entry in reading_routes if entry[3] == ["tz"]]
    routes = st.one_of(st.sampled_from(own), st.sampled_from(admin), st.sampled_from(zone_only))

    @FUZZ
    @given(entry=routes, data=st.data(), cookie=st.one_of(st.none(), hostile_cookie))
    def attempt(entry, data, cookie):
        name, url, client, keys = entry
        query = data.draw(st.dictionaries(st.sampled_from(keys), hostile, min_size=1))
        client.cookies.pop("tz", None)
        if cookie is not None:
            client.cookies["tz"] = cookie
        response = client.get(url, query, REMOTE_ADDR=next(ADDRESSES))
        assert response.status_code < 500, (name, query, cookie)

    attempt()


def test_no_hostile_slot_id_or_zone_posted_is_a_server_error(settings, site, coach):
    """The booking form, the visitor's move and the coach's move take a slot id in a POST."""
    settings.DEBUG = False
    coach_client = Client()
    coach_client.force_login(coach)
    booker = {"name": "Ada", "email": "ada@example.org", "consent": "on", "website": ""}
    posts = [
        (Client(), reverse("bookings:form", args=[site.session_type.slug]), booker),
        (Client(), reverse("bookings:move", args=[manage_token(site.booking)]), {}),
        (coach_client, reverse("bookings_coach:move", args=[site.booking.pk]), {}),
    ]

    @FUZZ.__class__(FUZZ, max_examples=120)
    @given(post=st.sampled_from(posts), start=hostile, zone=hostile)
    def attempt(post, start, zone):
        client, url, data = post
        data = {**data, "start": start, "time_zone": zone}
        response = client.post(url, data, REMOTE_ADDR=next(ADDRESSES))
        assert response.status_code < 500, (url, start, zone)

    attempt()


@pytest.mark.parametrize("pk", [2**31, 2**63, 10**30])
def test_huge_ids_in_paths_are_not_found(settings, site, coach, pk):
    settings.DEBUG = False
    samples = {"int": 1, "slug": "x", "str": "x", "uuid": "00000000-0000-0000-0000-000000000000"}
    for route in all_routes():
        if ("pk", "int") not in route.kwargs or route.category == "admin":
            continue
        kwargs = {name: samples[converter] for name, converter in route.kwargs}
        url = reverse(route.name, kwargs={**kwargs, "pk": 7}).replace("/7/", f"/{pk}/")
        response = _visitor(route, coach).get(url, REMOTE_ADDR=next(ADDRESSES))
        assert response.status_code < 500, url


@pytest.mark.parametrize(
    "path",
    [
        "/?tz=" + "A" * 300,
        "/book/{slug}/?tz=" + "Europe/" + "x" * 300,
        "/book/{slug}/?month=9999-12-01",
        "/book/{slug}/?month=0001-01-01&day=0001-01-01",
        "{move}?month=9999-12-01",
        "/book/{slug}/details/?start=99991231T235959Z",
        "/book/{slug}/details/?start=00010101T000000Z",
        "/coach/bookings/week/?start=9999-12-31",
        "/coach/bookings/week/?start=0001-01-01",
        "/coach/bookings/{pk}/move/?day=9999-12-31",
        "/coach/newsletter/subscribers/?q=%00",
        "/coach/newsletter/subscribers/?status=%00&topic=%00",
    ],
)
def test_the_urls_that_answered_500_now_answer_a_page(settings, site, coach, path):
    """Issue 12's list, one by one: each was a 500 with production settings."""
    settings.DEBUG = False
    client = Client()
    client.force_login(coach)
    move = reverse("bookings:move", args=[manage_token(site.booking)])
    url = path.format(slug=site.session_type.slug, move=move, pk=site.booking.pk)
    assert client.get(url).status_code == 200


def test_a_zone_cookie_of_300_characters_is_ignored(site, client):
    client.cookies["tz"] = "Z" * 300
    response = client.get(reverse("bookings:book", args=[site.session_type.slug]))
    assert response.status_code == 200
    assert 'value="Europe/London"' in response.text  # the coach's zone, as with no cookie


@pytest.mark.parametrize("start", ["99991231T235959Z", "00010101T000000Z"])
def test_a_slot_id_beyond_any_calendar_posted_is_refused_with_a_message(site, client, start):
    url = reverse("bookings:form", args=[site.session_type.slug])
    data = {"name": "Ada", "email": "ada@example.org", "consent": "on", "start": start}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Please choose a time from the calendar." in response.text
