"""A database that cannot be reached mid-request: a friendly 503 "try again", not a 500."""

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from coaching.errors import server_error


def _page_while_handling(exc: Exception):
    request = RequestFactory().get("/book/")
    try:
        raise exc
    except Exception:  # Django calls the handler inside its own `except` block, like this
        return server_error(request)


def test_an_unreachable_database_gives_a_friendly_503_with_retry_after():
    for exc in (OperationalError("connection refused"), InterfaceError("connection closed")):
        response = _page_while_handling(exc)
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "please try again in a minute" in response.content.decode()
        assert "Traceback" not in response.content.decode()


def test_any_other_error_still_gives_the_500_page():
    response = _page_while_handling(ValueError("a bug"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
