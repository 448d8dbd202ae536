"""docs/reliability.md A-01 and A-02: every URL pattern of the project, for every role, with
real objects.

Routes are classified by RULES (first match wins); a route no rule covers fails the test, so a
new app's routes must be placed on purpose. Everything under /coach/ is the coach's, whatever
app it comes from; the public routes are listed in PUBLIC_ROUTES (add a new public page there).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from clients.agreements.services import agreement_sign
from clients.checkins.models import CheckIn
from clients.checkins.services import checkin_submit, schedule_set
from clients.homework.models import Assignment, Exercise
from clients.homework.services import answer_save, assignment_create
from clients.journal.models import Entry
from clients.journal.services import entry_create
from clients.messaging.services import message_send, thread_for_person
from clients.models import Note, Package, SharedNote
from tests.agreements.conftest import seed_first_version
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import CoachFactory, PersonFactory, UserFactory
from tests.homework.conftest import seed_library
from tests.urlwalk import Route, all_routes

# The objects each client-side route takes: client A asks for client B's.
SAMPLE_VALUES = {
    "int": 1,
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def homework_for(person, key: str, *, only_for=None):
    """An exercise assigned to the person's client (to `only_for`, else to everyone), with the
    person's answer sent and not shared."""
    seed_library()
    due = timezone.localdate() + timedelta(days=7)
    assignment = assignment_create(
        client=person.client, exercise=Exercise.objects.first(), due_on=due, person=only_for
    )
    answer = assignment.answers.get(person=only_for or person)
    answer_save(answer=answer, body=f"SENTINEL-{key}-homework", share=False, submit=True)
    return assignment


def signed_by(person, typed: str = "") -> None:
    """The person signs the agreement, typing their name and `typed` (the coach's pages show
    what was typed to any staff: no sentinel where the walk looks as an assistant)."""
    version = seed_first_version()
    agreement_sign(
        person=person, version_number=version.number, typed_name=f"{person.name} {typed}",
        ip=None, user_agent="", via="portal",
    )  # fmt: skip


def test_every_route_is_covered_by_a_rule():
    unlisted = [r.route for r in all_routes() if r.category == "unlisted"]
    assert unlisted == [], f"add these routes to PUBLIC_ROUTES or a rule: {unlisted}"


@pytest.fixture
def world(db, coach):
    """Client A and client B, each with a sign-in, a note and a shared note."""
    a = PersonFactory(user=UserFactory(email="a@example.org"), email="a@example.org")
    b = PersonFactory(user=UserFactory(email="b@example.org"), email="b@example.org")
    objects = {}
    for key, person in (("a", a), ("b", b)):
        objects[key] = {
            "person": person,
            "note": Note.objects.create(
                client=person.client, body=f"SENTINEL-{key}-note", author=coach
            ),
            "package": Package.objects.create(client=person.client, name="Six", sessions=6),
            "shared": SharedNote.objects.create(
                client=person.client, title="t", body=f"SENTINEL-{key}-shared"
            ),
            "thread": thread_for_person(person=person),
            "entry": entry_create(person=person, body=f"SENTINEL-{key}-journal", share=True),
            "assignment": homework_for(person, key),
            "schedule": schedule_set(client=person.client, rhythm="weekly", active=True),
        }
        objects[key]["checkin"] = checkin_submit(person=person, raw={"SAF7": "unsure"})
        signed_by(person)
        message_send(thread=objects[key]["thread"], sender=person, body=f"SENTINEL-{key}-message")
    return objects


def url_for(route: Route, owner: dict) -> str:
    """The route's URL, its object ids taken from `owner`'s objects where the route has one."""
    kwargs = {name: SAMPLE_VALUES.get(conv, "x") for name, conv in route.kwargs}
    if route.route.startswith("admin/") and route.kwargs:
        return ""
    if route.name == "clients:shared_note":
        kwargs["pk"] = owner["shared"].pk
    elif route.name == "clients_coach:note":
        kwargs["pk"] = owner["note"].pk
    elif route.name == "clients_coach:package_paid":
        kwargs["pk"] = owner["package"].pk
    elif route.name == "messaging_coach:thread":
        kwargs["pk"] = owner["thread"].pk
    elif route.name in {"journal:entry", "journal:delete", "journal_coach:entry"}:
        kwargs["pk"] = owner["entry"].pk
    elif route.name in {
        "homework:assignment",
        "homework_coach:assignment",
        "homework_coach:assignment_delete",
    }:
        kwargs["pk"] = owner["assignment"].pk
    elif route.name == "homework_coach:exercise_edit":
        kwargs["pk"] = Exercise.objects.first().pk
    elif route.name in {"checkins:done", "checkins_coach:checkin"}:
        kwargs["pk"] = owner["checkin"].pk
    elif route.name == "agreements_coach:version":
        kwargs["number"] = owner["person"].agreement_signatures.get().version.number
    elif (
        route.name.startswith(
            ("clients_coach:", "homework_coach:", "checkins_coach:", "agreements_coach:")
        )
        and "pk" in kwargs
    ):
        kwargs["pk"] = owner["person"].client_id
    if not route.name or route.name.endswith(":"):
        return ""
    return reverse(route.name, kwargs=kwargs or None)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_from_every_private_route(client, world):
    for route in all_routes():
        url = url_for(route, world["b"])
        if not url:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if route.category in {"coach", "client", "admin"}:
                assert is_login_redirect(response), (method, url, response.status_code)
            else:
                assert response.status_code < 500, (method, url)
            assert b"SENTINEL" not in response.content


# Portal routes that take an object id: another client's id is a 404.
OBJECT_ROUTES = {
    "clients:shared_note",
    "journal:entry",
    "journal:delete",
    "homework:assignment",
    "checkins:done",
}


@pytest.mark.django_db
def test_a_signed_in_client_gets_404_for_coach_routes_and_for_other_clients_objects(client, world):
    for route in all_routes():
        url = url_for(route, world["b"])
        if not url:
            continue
        for method in ("get", "post"):
            client.force_login(world["a"]["person"].user)  # the walk includes the logout route
            response = getattr(client, method)(url)
            if route.category == "coach" or route.name in OBJECT_ROUTES:
                assert response.status_code == 404, (method, url, response.status_code)
            elif route.category == "admin":
                assert response.status_code in (302, 403, 404), (method, url)
            else:
                assert response.status_code < 500, (method, url)
            assert b"SENTINEL-b" not in response.content, url


@pytest.mark.django_db
def test_a_client_reaches_her_own_portal_routes(client, world):
    client.force_login(world["a"]["person"].user)
    expected = {
        "clients:index": 200,
        "clients:shared_note": 200,
        "clients:download": 200,
        "clients:erasure_request": 405,
        "clients:sign_in": 302,
        "messaging:thread": 200,
        "messaging:shared_thread": 404,  # a single person has no couple thread
        "journal:index": 200,
        "journal:download": 200,
        "journal:entry": 200,
        "journal:delete": 405,
        "homework:index": 200,
        "homework:assignment": 200,
        "checkins:index": 200,
        "checkins:new": 200,
        "checkins:done": 200,
        "agreements:index": 200,
    }
    for route in all_routes():
        if route.category == "client" or route.name == "clients:sign_in":
            response = client.get(url_for(route, world["a"]))
            assert response.status_code == expected[route.name], route.name


# The apps whose coach routes the walk gives real objects (any other app's may 404).
@pytest.mark.django_db
def test_the_coach_reaches_every_coach_route_with_real_objects(notes_client, world):
    for route in all_routes():
        if route.category != "coach":
            continue
        response = notes_client.get(url_for(route, world["b"]))
        allowed = {200, 302, 405} | ({410} if route.name.endswith("export_download") else set())
        if not route.name.startswith(COACH_APPS):
            allowed.add(404)  # another app's object id that our sample does not hold
        assert response.status_code in allowed, (route.route, response.status_code)


COACH_APPS = (
    "clients_coach:",
    "messaging_coach:",
    "journal_coach:",
    "homework_coach:",
    "checkins_coach:",
    "agreements_coach:",
)
NOTE_ROUTES = {
    "clients_coach:note",
    "clients_coach:note_add",
    "clients_coach:export",
    "clients_coach:export_download",
    "clients_coach:erase",
    "messaging_coach:inbox",
    "messaging_coach:thread",
    "journal_coach:entry",
    "homework_coach:assign",
    "homework_coach:assignment",
    "homework_coach:assignment_delete",
    "checkins_coach:index",
    "checkins_coach:schedule",
    "checkins_coach:trend",
    "checkins_coach:release",
    "checkins_coach:checkin",
}


@pytest.mark.django_db
def test_staff_without_the_notes_permission_get_404_for_every_notes_route(client, world):
    assistant = CoachFactory(is_superuser=False)
    assistant.user_permissions.add(*Permission.objects.exclude(codename="view_note"))
    give_totp(assistant)
    for route in all_routes():
        if route.category != "coach" or not route.name.startswith(COACH_APPS):
            continue
        client.force_login(assistant)
        mark_second_factor(client, assistant)
        notes = route.name in NOTE_ROUTES
        response = (client.post if notes else client.get)(url_for(route, world["b"]))
        expected = {404} if notes else {200, 302, 405}
        assert response.status_code in expected, (route.route, response.status_code)
        if not response.streaming:
            assert b"SENTINEL" not in response.content


@pytest.fixture
def partners(db):
    """A couple whose partners each wrote a private message, a journal entry and a private answer
    to homework for both, and one message in the shared thread; one exercise is for p1 alone."""
    one = PersonFactory(user=UserFactory(email="p1@example.org"), email="p1@example.org")
    two = PersonFactory(
        client=one.client, user=UserFactory(email="p2@example.org"), email="p2@example.org"
    )
    one.client.kind = "couple"
    one.client.save(update_fields=["kind"])
    for key, person in (("p1", one), ("p2", two)):
        message_send(
            thread=thread_for_person(person=person), sender=person, body=f"SENTINEL-{key}-private"
        )
        entry_create(person=person, body=f"SENTINEL-{key}-journal")
        signed_by(person, f"SENTINEL-{key}-agreement")
    together = homework_for(one, "p1")
    answer_save(answer=together.answers.get(person=two), body="SENTINEL-p2-homework",
                share=False, submit=True)  # fmt: skip
    homework_for(one, "p1-only", only_for=one)
    message_send(thread=thread_for_person(person=one, shared=True), sender=two, body="together")
    schedule = schedule_set(client=one.client, rhythm="weekly", active=True)
    checkin_submit(person=one, raw={"SAF7": "yes", "SAF2": "2", "FIN1": "0"})  # RED
    checkin_submit(person=two, raw={"SAF7": "no", "FIN1": "4"})
    schedule.comparison_released_at = timezone.now()  # the widest view a partner can have
    schedule.save(update_fields=["comparison_released_at"])
    return one, two


@pytest.mark.django_db
def test_a_partner_never_reaches_the_other_partners_private_thread(client, partners):
    """Issue 17: every portal route, as each partner (shared notes belong to both: not here)."""
    for me, own, other in ((partners[1], "p2", "p1"), (partners[0], "p1", "p2")):
        client.force_login(me.user)
        shared = client.get(reverse("messaging:shared_thread")).content
        assert b"together" in shared and b"SENTINEL" not in shared
        assert f"SENTINEL-{own}".encode() in client.get(reverse("messaging:thread")).content
        others_entry = Entry.objects.exclude(person=me).get()
        for assignment in Assignment.objects.all():
            response = client.get(reverse("homework:assignment", args=[assignment.pk]))
            is_mine = assignment.person in (None, me)
            assert response.status_code == (200 if is_mine else 404), assignment
            assert f"SENTINEL-{other}".encode() not in response.content
        others_checkin = CheckIn.objects.exclude(person=me).get()
        for route in all_routes():
            if route.category != "client":
                continue
            client.force_login(me.user)  # the walk includes the logout route
            if route.name in {"journal:entry", "journal:delete"}:
                url = reverse(route.name, args=[others_entry.pk])
                for method in (client.get, client.post):
                    assert method(url).status_code == 404, route.name
                continue
            if route.name == "checkins:done":
                url = reverse(route.name, args=[others_checkin.pk])
                for method in (client.get, client.post):
                    assert method(url).status_code == 404, route.name
                continue
            if route.kwargs:
                continue
            response = client.get(reverse(route.name))
            assert response.status_code in {200, 405}, route.name
            assert f"SENTINEL-{other}".encode() not in response.content, route.name
            # Nothing of the other's safety screen (a RED check-in): no panel, no flag.
            for marker in (b"deserve to be safe", b"attention", b"Red: urgent", b"badge-flag"):
                assert marker not in response.content, (route.name, marker)
    assert Entry.objects.count() == 2
