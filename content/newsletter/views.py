"""Public pages: sign up, confirm, preferences, one-click unsubscribe, the archive."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from coaching.markup import markdown_to_html
from coaching.tokens import TokenExpired, TokenInvalid, read_token
from content.newsletter import services
from content.newsletter.forms import PreferencesForm, SubscribeForm
from content.newsletter.models import Campaign, ConsentRecord, Subscriber, Topic
from content.newsletter.webhooks import webhook_view

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365  # links in old emails keep working for a year


def subscribe_rate(group, request):
    return settings.NEWSLETTER_SUBSCRIBE_RATE


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get(settings.RATELIMIT_IP_META_KEY) or None


def _index(request: HttpRequest, form, status=200):
    issues = Campaign.objects.filter(published=True, state=Campaign.State.SENT)[:5]
    context = {"form": form, "topics": Topic.objects.active()}
    context["issues"] = [issue.merged() for issue in issues]  # public: every merge tag's fallback
    context["consent_text"] = services.CONSENT_TEXT
    return render(request, "newsletter/index.html", context, status=status)


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, SubscribeForm())


@login_not_required
@require_POST
@ratelimit(key="ip", rate=subscribe_rate, method="POST", block=True)
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    services.subscriber_request(
        email=form.cleaned_data["email"],
        first_name=form.cleaned_data["first_name"],
        topics=form.chosen_topics(),
        form_id=form.cleaned_data["form_id"] or "newsletter-page",
        source_url=request.headers.get("Referer", ""),
        ip=_client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    # The same answer whether the address is known, new, or was sent a link minutes ago: who
    # signed up to an intimacy coach's letters, and when, is nobody else's business.
    return redirect("newsletter:check_inbox")


@login_not_required
def check_inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/check_inbox.html")


def _read(purpose: str, token: str, max_age=None):
    """The signed value, or None with the reason ('expired' or 'invalid')."""
    try:
        return read_token(purpose, token, max_age=max_age), ""
    except TokenExpired:
        return None, "expired"
    except TokenInvalid:
        return None, "invalid"


def _bad_link(request: HttpRequest, reason: str):
    status = 410 if reason == "expired" else 400
    return render(request, "newsletter/bad_link.html", {"reason": reason}, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def confirm(request: HttpRequest, token) -> HttpResponse:
    """GET shows a button (mail scanners follow links); only the POST confirms."""
    consent_id, reason = _read("doi", token, max_age=services.DOI_MAX_AGE)
    consent = ConsentRecord.objects.filter(pk=consent_id).first() if consent_id else None
    if consent is None:
        return _bad_link(request, reason or "invalid")
    if request.method != "POST":
        return render(request, "newsletter/confirm.html", {"confirmed": False})
    subscriber = services.subscriber_confirm(
        consent=consent, ip=_client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    url = services.preferences_url(subscriber.pk).removeprefix(settings.SITE_URL)
    return render(request, "newsletter/confirm.html", {"confirmed": True, "preferences_url": url})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def preferences(request: HttpRequest, token) -> HttpResponse:
    subscriber_id, reason = _read("preferences", token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first() if subscriber_id else None
    if subscriber is None:
        return _bad_link(request, reason or "invalid")
    initial = {
        "first_name": subscriber.first_name,
        "topics": subscriber.topics.all(),
        "paused": subscriber.status == Subscriber.Status.PAUSED,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_update_preferences(subscriber=subscriber, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your preferences are saved.")
            return redirect(request.path)
    leave_url = services.unsubscribe_path(subscriber.pk)
    context = {"form": form, "subscriber": subscriber, "leave_url": leave_url}
    return render(request, "newsletter/preferences.html", context)


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST here without cookies or a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token) -> HttpResponse:
    """One-click unsubscribe: a POST leaves at once (200, no redirect); a GET only asks."""
    value, reason = _read("unsubscribe", token, max_age=UNSUBSCRIBE_MAX_AGE)
    subscriber_id, campaign_id = value if isinstance(value, list) and len(value) == 2 else (0, 0)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return _bad_link(request, reason or "invalid")
    if request.method == "POST":
        services.subscriber_leave(subscriber=subscriber, campaign_id=campaign_id)
    # Reopened after leaving: say so, and offer the way back in rather than asking again.
    left = subscriber.status not in (Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED)
    context = {"left": left, "subscriber": subscriber, "consent_text": services.CONSENT_TEXT}
    return render(request, "newsletter/unsubscribe.html", context)


@login_not_required
def archive(request: HttpRequest) -> HttpResponse:
    issues = Campaign.objects.filter(published=True, state=Campaign.State.SENT).order_by(
        "-finished_at"
    )
    return render(request, "newsletter/archive.html", {"issues": [i.merged() for i in issues]})


@login_not_required
def archive_issue(request: HttpRequest, pk, slug) -> HttpResponse:
    issue = get_object_or_404(Campaign, pk=pk, published=True, state=Campaign.State.SENT)
    if slug != (issue.slug or "issue"):
        return redirect(issue.get_archive_url(), permanent=True)
    issue = issue.merged()  # nobody's name: every merge tag's fallback
    body = markdown_to_html(issue.body_markdown)
    return render(request, "newsletter/archive_issue.html", {"issue": issue, "body": body})


@login_not_required
@csrf_exempt  # the provider posts here; anymail checks its basic-auth secret
def webhook(request: HttpRequest, esp) -> HttpResponse:
    return webhook_view(esp)(request)
