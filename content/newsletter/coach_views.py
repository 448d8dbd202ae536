"""The coach's newsletter pages: campaigns, their progress, subscribers, topics."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from content.newsletter import campaigns, imports, merge, services
from content.newsletter.forms import (
    AudienceForm,
    CampaignForm,
    CampaignTestForm,
    ConfirmSendForm,
    ImportForm,
    PublishForm,
    ScheduleForm,
    SubscriberFilterForm,
    TopicForm,
)
from content.newsletter.mail import CampaignMail
from content.newsletter.models import Campaign, Subscriber, Topic


def _get_campaign_for_user(request: HttpRequest, pk) -> Campaign:
    # The /coach/ middleware admits staff only; every campaign belongs to the practice.
    # A sequence's letters are edited on the sequence's pages.
    return get_object_or_404(Campaign, pk=pk, step=None)


def index(request: HttpRequest) -> HttpResponse:
    # The figures of every row in this one query (a sequence's letters are on its page); with
    # `step` selected, each row's get_absolute_url knows it is no letter without a query.
    campaigns_ = (
        Campaign.objects.filter(step=None)
        .select_related("step")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__state="sent")),
            bounced=Count("deliveries", filter=Q(deliveries__bounced_at__isnull=False)),
            complained=Count("deliveries", filter=Q(deliveries__complained_at__isnull=False)),
            unsubscribed=Count("deliveries", filter=Q(deliveries__unsubscribed_at__isnull=False)),
        )
    )
    counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")))
    context = {"campaigns": campaigns_[:50], "counts": counts}
    return render(request, "newsletter/coach_index.html", context)


def campaign_form(request: HttpRequest, pk=None) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk) if pk else Campaign()
    if pk and campaign.state not in Campaign.EDITABLE:
        messages.error(request, "This campaign has started and can no longer be edited.")
        return redirect(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaigns.campaign_save(campaign=campaign, topics=list(form.cleaned_data["topics"]))
        messages.success(request, "Saved.")
        return redirect(campaign)
    if request.method == "POST":  # the segment as the coach left it, counted
        audience = _audience(AudienceForm(request.POST))[1]
    else:
        audience = audience_text(campaign.recipients().count()) if pk else NO_TOPIC
    context = {"form": form, "campaign": campaign, "audience": audience}
    return render(request, "newsletter/campaign_form.html", context)


NO_TOPIC = "Choose at least one topic to see how many it reaches."


def audience_text(count: int) -> str:
    if not count:
        return "Nobody yet: no confirmed subscriber matches."
    return f"{count} subscriber{'' if count == 1 else 's'} now."


def _audience(form: AudienceForm) -> tuple[int | None, str]:
    """How many the form's segment reaches now, and that in words (or what to fix)."""
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return None, NO_TOPIC if "topics" in form.errors else " ".join(errors)
    count = Subscriber.objects.segment(form.segment()).count()
    return count, audience_text(count)


def audience_count(request: HttpRequest) -> HttpResponse:
    """The live count of the campaign form (newsletter.js) as the coach picks the audience;
    `count` is null, and `text` says what to fix, when the choice cannot be counted."""
    count, text = _audience(AudienceForm(request.GET))
    return JsonResponse({"count": count, "text": text})


def campaign(request: HttpRequest, pk) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    context = {
        "campaign": campaign,
        "stats": campaigns.campaign_stats(campaign) if campaign.has_started else None,
        "recipients": None if campaign.has_started else campaign.recipients().count(),
        "segment": campaign.segment.describe(),
        "schedule_form": ScheduleForm(),
        "refresh": campaign.state == Campaign.State.SENDING,
        "coach_zone": settings.COACH_TIME_ZONE,  # the schedule form reads times in this zone
    }
    return render(request, "newsletter/campaign_detail.html", context)


def campaign_progress(request: HttpRequest, pk) -> HttpResponse:
    """The numbers behind the progress bar, polled by newsletter.js."""
    campaign = _get_campaign_for_user(request, pk)
    stats = campaigns.campaign_stats(campaign)
    return JsonResponse(
        {"state": campaign.get_state_display(), "percent": stats.percent_done, "sent": stats.sent,
         "failed": stats.failed, "skipped": stats.skipped, "remaining": stats.remaining}
    )  # fmt: skip


PREVIEW_CHOICES = 50
TEST_SEND_RATE = "10/h"  # test sends per coach (each to at most 5 addresses): never a relay
NO_NAME = "none"  # the preview choice that shows every fallback


def _choices(campaign: Campaign):
    """The campaign's recipients, each with the values their tags take (`merge_first_name`)."""
    return campaign.recipients().order_by("pk").annotate(**merge.annotations())


def _preview_recipient(campaign: Campaign, chosen: str) -> Subscriber | None:
    """The recipient whose values the preview and the test show: the one the coach chose,
    else the first; None (every fallback) when the coach chose so or nobody would receive it."""
    if chosen == NO_NAME:
        return None
    recipients = _choices(campaign)
    picked = recipients.filter(pk=chosen).first() if chosen.isdecimal() else None
    return picked or recipients.first()


PREVIEW_WIDTHS = {"desktop": "Desktop", "phone": "Phone"}


def campaign_preview(request: HttpRequest, pk) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return _preview(request, campaign, request.GET.get("subscriber", ""))


def _preview(request: HttpRequest, campaign: Campaign, chosen: str, test_form=None):
    """The preview page as `chosen` would receive it, with the test-send form."""
    subscriber = _preview_recipient(campaign, chosen)
    choices = list(_choices(campaign)[:PREVIEW_CHOICES])
    if subscriber and subscriber not in choices:
        choices.append(subscriber)
    values = merge.values_of(subscriber)
    message = CampaignMail(campaign).message(
        delivery_id=0, subscriber_id=0, email="x@example.org", values=values
    )
    chosen = subscriber.pk if subscriber else NO_NAME
    width = request.GET.get("width")
    context = {
        "campaign": campaign, "subscriber": subscriber, "choices": choices,
        "chosen": chosen, "no_name": NO_NAME, "preview": campaign.merged(values),
        "message": message, "width": width if width in PREVIEW_WIDTHS else "desktop",
        "preview_widths": PREVIEW_WIDTHS.items(),
        "test_form": test_form
        or CampaignTestForm(initial={"addresses": request.user.email, "subscriber": chosen}),
    }  # fmt: skip
    return render(request, "newsletter/campaign_preview.html", context)


def campaign_preview_html(request: HttpRequest, pk) -> HttpResponse:
    """The HTML part alone, in a sandboxed frame so its styles stay its own."""
    campaign = _get_campaign_for_user(request, pk)
    subscriber = _preview_recipient(campaign, request.GET.get("subscriber", ""))
    message = CampaignMail(campaign).message(
        delivery_id=0, subscriber_id=0, email="x@example.org", values=merge.values_of(subscriber)
    )
    response = HttpResponse(message.alternatives[0][0])
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
        "sandbox; base-uri 'none'; frame-ancestors 'self'"
    )
    return response


@require_POST
@ratelimit(key="user", rate=TEST_SEND_RATE, method="POST", block=True)
def campaign_test(request: HttpRequest, pk) -> HttpResponse:
    """Send the campaign now to up to five addresses, with the values the preview shows."""
    campaign = _get_campaign_for_user(request, pk)
    form = CampaignTestForm(request.POST)
    if not form.is_valid():
        return _preview(request, campaign, request.POST.get("subscriber", ""), test_form=form)
    subscriber = _preview_recipient(campaign, form.cleaned_data["subscriber"])
    to = form.cleaned_data["addresses"]
    campaigns.campaign_send_test(campaign=campaign, subscriber=subscriber, to=to)
    messages.success(request, f"A test is on its way to {', '.join(to)}.")
    return redirect(campaign)


def _confirmation(request: HttpRequest, campaign, *, action: str, schedule_form=None, status=200):
    """The screen before a campaign goes: how many it would reach now, and one button."""
    try:
        campaign.check_merge_tags()
    except ValidationError as error:
        merge_errors = error.messages
    else:
        merge_errors = []
    context = {
        "campaign": campaign, "action": action, "merge_errors": merge_errors,
        "recipients": campaign.recipients().count(),
        "topics": [topic.name for topic in campaign.topics.all()],
        "segment": campaign.segment.describe(),
        "coach_zone": settings.COACH_TIME_ZONE,
    }  # fmt: skip
    if schedule_form:  # the time as the coach typed it, and as it will be read
        context["at"] = schedule_form["at"].value()
        context["when"] = schedule_form.cleaned_data["at"]
    return render(request, "newsletter/campaign_confirm.html", context, status=status)


def _not_ready(campaign) -> str:
    """Why the campaign cannot be sent or scheduled from here, or ""."""
    if campaign.state not in Campaign.EDITABLE:
        return f"This campaign is {campaign.get_state_display().lower()}: it cannot go again."
    if not campaign.topics.exists():
        return "Choose at least one topic for the audience first."
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def campaign_send(request: HttpRequest, pk) -> HttpResponse:
    """Send now: a GET shows the confirmation with the number of recipients; its POST sends
    only if the audience is still exactly that number."""
    campaign = _get_campaign_for_user(request, pk)
    if problem := _not_ready(campaign):
        messages.error(request, problem)
        return redirect(campaign)
    form = ConfirmSendForm(request.POST)
    if request.method != "POST" or not form.is_valid():  # only the confirmation's button sends
        return _confirmation(request, campaign, action="send")
    try:
        count = campaigns.campaign_start(
            campaign=campaign, expected_recipients=form.cleaned_data["recipients"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _confirmation(request, campaign, action="send", status=409)
    if count:
        messages.success(request, f"Sending to {count} subscribers.")
    return redirect(campaign)


@require_http_methods(["GET", "HEAD", "POST"])
def campaign_schedule(request: HttpRequest, pk) -> HttpResponse:
    """Schedule: the detail page's form GETs the confirmation, whose button POSTs the time."""
    campaign = _get_campaign_for_user(request, pk)
    form = ScheduleForm(request.POST if request.method == "POST" else request.GET)
    problem = _not_ready(campaign)
    if not problem and not form.is_valid():
        problem = " ".join(form.errors["at"])
    if problem:
        messages.error(request, problem)
        return redirect(campaign)
    if request.method != "POST":
        return _confirmation(request, campaign, action="schedule", schedule_form=form)
    try:
        campaigns.campaign_schedule(campaign=campaign, at=form.cleaned_data["at"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        when = timezone.localtime(campaign.scheduled_at, ZoneInfo(settings.COACH_TIME_ZONE))
        messages.success(request, f"Scheduled for {when:%d %B %Y, %H:%M} ({when.tzname()}).")
    return redirect(campaign)


def _change_state(request: HttpRequest, campaign: Campaign, change, done: str) -> HttpResponse:
    """Run one of the campaign's state changes; a refusal says why."""
    try:
        change(campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(campaign)


@require_POST
def campaign_pause(request: HttpRequest, pk) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return _change_state(request, campaign, campaigns.campaign_pause, "Paused.")


@require_POST
def campaign_resume(request: HttpRequest, pk) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return _change_state(request, campaign, campaigns.campaign_resume, "Sending again.")


@require_POST
def campaign_cancel(request: HttpRequest, pk) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return _change_state(request, campaign, campaigns.campaign_cancel, "Cancelled.")


@require_POST
def campaign_publish(request: HttpRequest, pk) -> HttpResponse:
    """The button says which way: a double click publishes once rather than toggling back."""
    campaign = _get_campaign_for_user(request, pk)
    form = PublishForm(request.POST)
    published = form.is_valid() and form.cleaned_data["published"]
    campaigns.campaign_publish(campaign=campaign, published=published)
    if not published:
        messages.success(request, "Removed from the archive.")
    elif campaign.state == Campaign.State.SENT:
        messages.success(request, "Published in the archive.")
    else:
        messages.success(request, "It will appear in the archive once it is sent.")
    return redirect(campaign)


def subscribers(request: HttpRequest) -> HttpResponseBase:
    query = Subscriber.objects.prefetch_related("topics").order_by("-created_at")
    q, status, topic = SubscriberFilterForm(request.GET).filters()
    if q:
        query = query.filter(Q(email__icontains=q) | Q(first_name__icontains=q))
    if status:
        query = query.filter(status=status)
    if topic:
        query = query.filter(topics__slug=topic)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(imports.export_rows(query), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        return response
    page_obj = Paginator(query, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page_obj": page_obj, "q": q, "status": status, "topic": topic,
        "statuses": Subscriber.Status.choices, "topics": Topic.objects.all(),
        "query": params.urlencode(),
        "import_form": ImportForm(),
    }  # fmt: skip
    return render(request, "newsletter/subscribers.html", context)


@require_POST
def subscribers_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", ["Please choose a CSV file."])))
        return redirect("newsletter_coach:subscribers")
    result = imports.subscriber_import(rows=form.cleaned_data["file"])
    messages.success(
        request,
        f"{result.subscribed} subscribed, {result.confirmations} asked to confirm, "
        f"{result.suppressed} left earlier and were not added, {result.unchanged} already "
        f"there, {result.invalid} invalid.",
    )
    return redirect("newsletter_coach:subscribers")


def topics(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(**form.cleaned_data)
        except ValidationError as error:  # the same name added in another tab just now
            form.add_error(None, error)
        else:
            messages.success(request, f"Topic “{topic.name}” added.")
            return redirect("newsletter_coach:topics")
    context = {"form": form, "topics": Topic.objects.annotate(n=Count("subscribers"))}
    return render(request, "newsletter/topics.html", context)


def topic_edit(request: HttpRequest, pk) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(topic=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Topic renamed.")
            return redirect("newsletter_coach:topics")
    return render(request, "newsletter/topic_form.html", {"form": form, "topic": topic})


@require_POST
def topic_retire(request: HttpRequest, pk) -> HttpResponse:
    """Retire a topic (no longer offered, its subscribers kept) or, with `restore`, offer it
    again."""
    topic = get_object_or_404(Topic, pk=pk)
    topic.set_retired("restore" not in request.POST)
    text = "offered again" if topic.retired_at is None else "retired: no longer offered"
    messages.success(request, f"Topic {text}.")
    return redirect("newsletter_coach:topics")
