"""What the intake adds to the client record, the portal, exports and the dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.hooks import erasers, exporters, timeline_for
from clients.intake import integrations
from clients.intake.models import Response, SafetyFlag
from clients.services import client_get_or_create_lead
from tests.factories import PersonFactory

from .answers import PERSONA_1, PERSONA_4

pytestmark = pytest.mark.django_db


def _linked(make_response, answers, client):
    response = make_response(answers)
    response.client, response.person = client, client.people.first()
    response.save()
    return response


def test_the_timeline_lists_intakes_without_answers_or_scores(make_response):
    client = client_get_or_create_lead(email="a@example.org", name="Ana", source="intake")
    response = _linked(make_response, PERSONA_4, client)
    entries = [e for e in timeline_for(client) if e.kind == "intake"]
    assert [e.title for e in entries] == ["Intake assessment taken"]
    assert entries[0].url == reverse("intake_coach:response", args=[response.public_id])
    assert entries[0].summary == ""


def test_the_export_of_one_person_holds_her_answers(make_response):
    client = client_get_or_create_lead(email="a@example.org", name="Ana", source="intake")
    _linked(make_response, PERSONA_4, client)
    exported = {k: v for exporter in exporters for k, v in exporter(client).items()}
    row = exported["intake_responses"][0]
    assert row["answers"]["SAF2"] == 1
    assert "flags" not in row and "RED" not in str(row)


def test_the_export_of_a_couple_record_holds_no_answers(make_response):
    client = client_get_or_create_lead(email="a@example.org", name="Ana", source="intake")
    PersonFactory(client=client, email="b@example.org")
    _linked(make_response, PERSONA_4, client)
    row = integrations.export(client)["intake_responses"][0]
    assert "answers" not in row and "results" not in row and "safe_contact" not in row


def test_erasure_deletes_answers_results_and_flags(make_response):
    client = client_get_or_create_lead(email="a@example.org", name="Ana", source="intake")
    _linked(make_response, PERSONA_4, client)
    counts = {k: v for eraser in erasers for k, v in eraser(client).items()}
    assert counts["intake_responses"] == 1
    assert not Response.objects.exists() and not SafetyFlag.objects.exists()


def _lead_response(make_response, answers):
    response = make_response(answers)
    email = f"{response.public_id}@example.org"
    response.client = client_get_or_create_lead(email=email, name="X", source="intake")
    response.save()


def test_the_dashboard_panel_puts_flags_first_in_a_fixed_number_of_queries(
    make_response, rf, coach
):
    request = rf.get("/coach/")
    request.user = coach
    _lead_response(make_response, PERSONA_1)
    _lead_response(make_response, PERSONA_4)
    with CaptureQueriesContext(connection) as few:
        integrations.dashboard_panel(request)
    for _ in range(5):
        _lead_response(make_response, PERSONA_1)
    with CaptureQueriesContext(connection) as many:
        panel = integrations.dashboard_panel(request)
    assert len(many) == len(few) <= 3
    assert panel.context["flagged"] == 1
    assert panel.context["waiting"][0].flag_rank == 0


def test_the_dashboard_shows_the_panel(coach_client, make_response):
    make_response(PERSONA_4)
    page = coach_client.get(reverse("coaching:dashboard")).content.decode()
    assert "Intakes waiting" in page and "1 flagged" in page


def test_the_portal_section_links_her_own_results(make_response, rf, client_user):
    person = PersonFactory(user=client_user)
    response = make_response(PERSONA_1)
    response.person = person
    response.save()
    request = rf.get("/account/")
    request.user = client_user
    panel = integrations.portal_section(request, person)
    assert panel.context["responses"] == [response]
    response.delete()
    assert integrations.portal_section(request, person) is None
