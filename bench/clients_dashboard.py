"""The coach's dashboard and the first page of the client list with 10,000 clients, and the
client page of a couple with everything between sessions.

Bar: at most 15 SQL queries and 150 ms each. Runs in a throwaway test database with
10,000 clients and 50,000 bookings (bulk_create), five per client, back to back from two years ago.
The client page (notes unlocked) is measured for two couples, one with five times the other's
notes, homework, check-ins, journal entries and messages: its queries must not grow with them.
"""

import random
import statistics
import time
from datetime import timedelta

CLIENTS = 10_000
BOOKINGS = 50_000
ROUNDS = 7


def _seed(coach) -> str:
    from django.utils import timezone

    from clients.models import Client, Person, StageChange, Tag

    rng, now = random.Random(7), timezone.now()
    stages = [s for s, _ in Client.Stage.choices]
    clients = Client.objects.bulk_create(
        Client(
            stage=rng.choice(stages),
            source=rng.choice(Client.Source.values),
            created_at=now - timedelta(days=rng.randrange(1100)),
        )
        for _ in range(CLIENTS)
    )
    Person.objects.bulk_create(
        Person(client=c, name=f"Client {i}", email=f"client{i}@example.org")
        for i, c in enumerate(clients)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"tag {i}") for i in range(20))
    Client.tags.through.objects.bulk_create(
        Client.tags.through(client=c, tag=rng.choice(tags)) for c in clients
    )
    StageChange.objects.bulk_create(
        StageChange(
            client=c,
            from_stage="free_call_booked",
            to_stage=stage,
            at=now - timedelta(days=rng.randrange(180)),
        )
        for c in clients
        for stage in ("free_call_done", "client")
        if rng.random() < 0.5
    )
    _bookings(clients, rng, now)
    return f"bookings: {BOOKINGS:,}"


def _bookings(clients, rng, now) -> None:
    """Five 45-minute sessions per client, one per 45-minute slot, so none overlap."""
    from bookings.models import Booking, CoachCalendar, SessionType

    calendar = CoachCalendar.objects.create()
    kind = SessionType.objects.create(
        calendar=calendar, name="Session", slug="dashboard-bench", duration_minutes=45,
        buffer_after_minutes=0,
    )  # fmt: skip
    first = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=2 * 365)
    statuses = ["confirmed", "attended", "cancelled", "no_show"]
    batch = []
    for n in range(BOOKINGS):
        client = clients[n % len(clients)]
        booking = Booking(
            calendar=calendar, session_type=kind, client=client, name=f"Client {client.pk}",
            email=f"client{n % len(clients)}@example.org", status=rng.choice(statuses),
        )  # fmt: skip
        booking.set_times(first + timedelta(minutes=45 * n), kind)
        batch.append(booking)
    Booking.objects.bulk_create(batch, batch_size=5000)


def _couple(scale: int):
    """A couple with `scale` times a base of notes, homework, check-ins, journal and messages."""
    from datetime import date

    from clients.checkins.services import checkin_submit, schedule_set
    from clients.homework.models import Exercise
    from clients.homework.services import answer_save, assignment_create
    from clients.journal.services import entry_create
    from clients.messaging.services import message_send, thread_for_person
    from clients.models import Client, Person
    from clients.services import note_create, shared_note_create
    from tests.factories import CoachFactory

    client = Client.objects.create(stage="client")
    people = [
        Person.objects.create(client=client, name=f"Partner {n}", email=f"p{n}-{scale}@example.org")
        for n in (1, 2)
    ]
    author, exercise = CoachFactory(), Exercise.objects.first()
    schedule_set(client=client, rhythm="weekly", active=True)
    calm = {"EMO1": "2", "FIN1": "3", "SOC2": "2", "SEX1": "2", "SAF7": "no"}
    for n in range(4 * scale):
        note_create(client=client, body=f"note {n}", author=author)
        shared_note_create(client=client, title=f"shared {n}", body="between sessions")
        assignment = assignment_create(client=client, exercise=exercise, due_on=date(2030, 1, 1))
        for answer in assignment.answers.all():
            answer_save(answer=answer, body="an answer", share=True, submit=True)
        for person in people:
            checkin_submit(person=person, raw=calm)
            entry_create(person=person, body="a shared entry", share=True)
            message_send(thread=thread_for_person(person=person), sender=person, body="hello")
    return client


def _measure(http, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http.get(url)  # warm up templates and caches
    timings = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = http.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries), statistics.median(timings)


def run() -> list[tuple[str, str]]:
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    # A database of its own, so a test run on the same server is never clobbered.
    connection.settings_dict["TEST"]["NAME"] = f"bench_clients_{connection.settings_dict['NAME']}"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.clients.conftest import give_totp, mark_second_factor
        from tests.factories import CoachFactory

        coach = CoachFactory()
        data = _seed(coach)
        small, large = _couple(1), _couple(5)
        http = HttpClient()
        http.force_login(coach)
        give_totp(coach)
        mark_second_factor(http, coach)
        rows = [("data", f"clients: {CLIENTS:,}; {data}")]
        for label, url in (
            ("dashboard /coach/", "/coach/"),
            ("client list /coach/clients/", "/coach/clients/"),
        ):
            count, ms = _measure(http, url)
            rows.append((f"{label} queries (bar ≤ 15)", str(count)))
            rows.append((f"{label} median ms (bar ≤ 150)", f"{ms:.1f}"))
        few, few_ms = _measure(http, f"/coach/clients/{small.pk}/")
        many, many_ms = _measure(http, f"/coach/clients/{large.pk}/")
        rows.append(("client page, a couple with 4 / 20 of each: queries", f"{few} / {many}"))
        rows.append(("client page queries at 5x the rows minus at 1x (bar ≤ 0)", str(many - few)))
        rows.append(("client page at 5x the rows median ms (bar ≤ 150)", f"{many_ms:.1f}"))
        return rows
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
        teardown_test_environment()
