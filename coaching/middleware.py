from urllib.parse import unquote

from allauth.account.adapter import get_adapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from coaching.hooks import access_denied
from coaching.models import SiteSettings
from coaching.zones import parse_zone

TIMEZONE_COOKIE = "tz"
# The areas whose pages show client data (the coach's, the client's portal, the admin).
PRIVATE_AREAS = ("/coach/", "/account/", "/admin/")


class VisitorTimezoneMiddleware:
    """Show times in the visitor's zone; the coach's zone is the fallback.

    `request.chosen_zone` is one the visitor picked on the page (`?tz=`): only that one travels
    in links. `request.visitor_zone` is that, or else the one their browser reported (zone.js
    writes the cookie, URL-encoded), or None when the page has to guess."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.chosen_zone = parse_zone(request.GET.get("tz"))
        reported = parse_zone(unquote(request.COOKIES.get(TIMEZONE_COOKIE, "")))
        request.visitor_zone = request.chosen_zone or reported
        if request.visitor_zone:
            timezone.activate(request.visitor_zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class CoachAreaMiddleware:
    """/coach/ is for staff only, and (with COACH_REQUIRE_MFA) only with a second factor set up.

    A signed-in non-staff user gets a 404 rather than a 403, so the area's pages do not even
    confirm that they exist. Anonymous visitors are sent to sign in by LoginRequiredMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/coach/") or not request.user.is_authenticated:
            return None
        if not request.user.is_coach:
            for record_refusal in access_denied:
                record_refusal(request)
            raise Http404
        if settings.COACH_REQUIRE_MFA and not is_mfa_enabled(request.user):
            return redirect("mfa_activate_totp")
        return None


class PrivatePagesMiddleware:
    """Pages of the private areas are never stored by a browser or a proxy (ASVS V14.3.2):
    the back button on a shared computer must not bring a client's record back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_AREAS):
            add_never_cache_headers(response)
        return response


class AccountPagesMiddleware:
    """allauth's sign-in pages in the site's branding, offering sign-up only when it is open.

    allauth puts the request's host in their context as `site`, the name under which every
    layout reads the site's branding (the name, the brand colour), and a sign-up link whether
    or not anyone may sign up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        context = response.context_data
        if context is None or "signup_url" not in context:  # not one of allauth's entrances
            return response
        context["site"] = SiteSettings.load()
        if not get_adapter(request).is_open_for_signup(request):
            context["signup_url"] = None
        return response
