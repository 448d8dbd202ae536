"""Friendly error pages that still work when the database or a template context fails."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    # Django calls this inside its `except` block: an unreachable database (restarting, failing
    # over) is a passing outage, so the visitor is asked to try again (503), not told it broke.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    # No context processors: the database may be the reason we are here.
    return HttpResponseServerError(get_template("500.html").render())
