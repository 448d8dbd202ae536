import importlib

import pytest
from django.apps import apps

from clients.intake import services
from clients.intake.models import Response

LOADER = importlib.import_module("clients.intake.migrations.0002_load_pbi_and_helplines")


def load_pbi():
    """The data migration again: a transactional test elsewhere may have flushed its rows.
    It creates nothing that is already there."""
    LOADER.load(apps, None)


@pytest.fixture(autouse=True)
def pbi(request):
    names = request.fixturenames
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return  # the pure engine's tests need no database
    load_pbi()


@pytest.fixture
def make_response(db, django_capture_on_commit_callbacks):
    """A response with these answers, submitted unless told otherwise (tasks run on commit)."""

    def make(answers=None, *, gate="yes", submit=True, country="UK", share_intimacy=False):
        response = services.response_start(country=country, share_intimacy=share_intimacy)
        services.response_set_gate(response=response, gate=gate)
        response.answers = dict(answers or {})
        response.save(update_fields=["answers"])
        if submit:
            with django_capture_on_commit_callbacks(execute=True):
                services.response_submit(response=response)
        return Response.objects.get(pk=response.pk)

    return make


def use_response(client, response):
    """Put a response in the test client's session, as her signed link would."""
    session = client.session
    session["intake_response"] = str(response.public_id)
    session.save()
