"""The project's URLs plus a bare view, so both go through the same server and middleware."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from coaching.urls import urlpatterns as site_urlpatterns


@login_not_required
def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
