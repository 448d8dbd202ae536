"""The dashboard panels of the clients app: new leads, conversion chart, search."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from clients.integrations import conversion_by_month
from clients.messaging.services import message_send, thread_for_person
from clients.models import Client
from clients.services import client_set_stage
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("coaching:dashboard")


def test_the_dashboard_shows_new_leads_of_the_last_14_days(coach_client):
    PersonFactory(name="Fresh Lead")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=20)):
        PersonFactory(name="Old Lead")
    page = coach_client.get(DASHBOARD).content.decode()
    assert "Fresh Lead" in page and "Old Lead" not in page
    assert "1 in the last 14 days" in page


def test_the_dashboard_has_one_search_box_for_clients(coach_client):
    page = coach_client.get(DASHBOARD).content.decode()
    assert 'action="/coach/clients/"' in page and 'name="q"' in page


def _through(client, stages, at):
    with time_machine.travel(at):
        for stage in stages:
            client_set_stage(client=client, to=stage)


def test_conversion_counts_free_calls_per_month_and_those_who_became_clients():
    done, call = Client.Stage.FREE_CALL_DONE, Client.Stage.CLIENT
    with time_machine.travel(datetime(2026, 9, 15, tzinfo=UTC)):
        clients = [PersonFactory().client for _ in range(3)]
    _through(clients[0], [done], datetime(2026, 9, 20, tzinfo=UTC))
    _through(clients[0], [call], datetime(2026, 10, 2, tzinfo=UTC))
    _through(clients[1], [done], datetime(2026, 9, 25, tzinfo=UTC))
    _through(clients[2], [done, call], datetime(2026, 11, 3, tzinfo=UTC))
    rows = conversion_by_month(datetime(2026, 11, 22, tzinfo=UTC))
    assert [(r["month"].month, r["calls"], r["clients"]) for r in rows] == [
        (6, 0, 0),
        (7, 0, 0),
        (8, 0, 0),
        (9, 2, 1),
        (10, 0, 0),
        (11, 1, 1),
    ]


def test_the_conversion_chart_is_an_svg_drawn_on_the_server(coach_client):
    _through(
        PersonFactory().client,
        [Client.Stage.FREE_CALL_DONE, Client.Stage.CLIENT],
        datetime.now(UTC),
    )
    page = coach_client.get(DASHBOARD).content.decode()
    assert "<svg" in page and "<rect" in page and "style=" not in page.split("<svg")[1]
    assert "100% of free calls" in page


def test_the_dashboard_uses_a_fixed_number_of_queries(coach_client, django_assert_max_num_queries):
    coach_client.get(DASHBOARD)  # creates the site settings row once
    for _ in range(5):
        PersonFactory()
    with django_assert_max_num_queries(15) as few:  # every app's panel included
        coach_client.get(DASHBOARD)
    # Counted now: each request empties the connection's query log, which `few` reads lazily.
    budget = len(few.captured_queries)
    for _ in range(40):
        person = PersonFactory()
        _through(person.client, [Client.Stage.FREE_CALL_DONE], datetime.now(UTC))
        message_send(thread=thread_for_person(person=person), sender=person, body="unread")
    # The messages' count is cached until a change (clients/messaging/services.py): warm, as the
    # bench measures. This request also empties the query log, so the block below counts from 0.
    coach_client.get(DASHBOARD)
    with django_assert_max_num_queries(budget):
        coach_client.get(DASHBOARD)
