import pytest

from clients.intake import services
from clients.intake.models import Response


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
