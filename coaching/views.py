import mimetypes
import posixpath
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views import static as static_files
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from coaching.celery import app as celery_app
from coaching.emails import send_email
from coaching.forms import SiteSettingsForm
from coaching.hooks import dashboard_panels, panels
from coaching.models import OutboundEmail, SiteSettings
from content.blog.models import Post


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    latest_posts = Post.objects.published().for_cards()[:3]
    return render(request, "coaching/home.html", {"latest_posts": latest_posts})


@login_not_required
def page(request: HttpRequest, template) -> HttpResponse:
    return render(request, f"coaching/{template}.html")


# Uploads in these folders are shown on public pages (post covers and pictures, the coach's
# photo); nothing else under MEDIA_ROOT is ever served. Client data never goes to MEDIA_ROOT:
# exports are built on request behind their signed links.
PUBLIC_MEDIA_FOLDERS = ("blog/", "site/")
PICTURE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


@login_not_required
@require_safe
def media(request: HttpRequest, path) -> HttpResponse:
    """An uploaded picture of a public page, for every visitor, signed in or not."""
    path = posixpath.normpath(path)  # "blog/../x" must not leave the public folders
    content_type, encoding = mimetypes.guess_type(path)
    if not path.startswith(PUBLIC_MEDIA_FOLDERS) or content_type not in PICTURE_TYPES or encoding:
        raise Http404
    response = static_files.serve(request, path, document_root=settings.MEDIA_ROOT)
    # An upload never changes under its name (the storage picks a new name for a new file).
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says."""
    response = redirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the broker answer, 503 otherwise; for load balancers."""
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "down" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_GET
def brand_css(request):
    """The coach's brand colour as a stylesheet, so that no page needs an inline style.

    Pages link it with the colour in its address (`?v=`), so a new colour is a new address and
    browsers may keep each one for a year.
    """
    colour = SiteSettings.load().brand_colour
    response = HttpResponse(f":root {{ --brand: {colour}; }}\n", content_type="text/css")
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not healthy"; the probe must not raise
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # as above
        return False


def after_login(request: HttpRequest) -> HttpResponse:
    return redirect("coaching:dashboard" if request.user.is_coach else "home")


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "coaching/dashboard.html", {"panels": panels(dashboard_panels, request)})


def outbox(request: HttpRequest) -> HttpResponse:
    emails = OutboundEmail.objects.defer("body_text", "body_html", "attachments")
    status = request.GET.get("status", "")
    if status not in OutboundEmail.Status.values:
        status = ""
    if status:
        emails = emails.filter(status=status)
    page_obj = Paginator(emails, 50).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "status": status,
        "statuses": OutboundEmail.Status.choices,
        "query": urlencode({"status": status}) if status else "",
    }
    return render(request, "coaching/outbox.html", context)


@require_POST
def outbox_test(request: HttpRequest) -> HttpResponse:
    send_email(to=request.user.email, template="coach_test", context={}, related=request.user)
    messages.success(request, f"A test email is on its way to {request.user.email}.")
    return redirect("coaching:outbox")


def outbox_email(request: HttpRequest, pk) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    return render(request, "coaching/outbox_email.html", {"email": email})


def outbox_email_html(request: HttpRequest, pk) -> HttpResponse:
    """The HTML part alone, shown in a sandboxed frame so its styles stay its own."""
    email = get_object_or_404(OutboundEmail, pk=pk)
    response = render(request, "coaching/outbox_email_frame.html", {"email": email})
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
        "sandbox; base-uri 'none'; frame-ancestors 'self'"
    )
    return response


def site_settings(request: HttpRequest) -> HttpResponse:
    form = SiteSettingsForm(
        request.POST or None, request.FILES or None, instance=SiteSettings.load()
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your site settings are saved.")
        return redirect("coaching:site_settings")
    return render(request, "coaching/site_settings.html", {"form": form})


@login_not_required
def ratelimited(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "429.html", status=429)
