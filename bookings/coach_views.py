"""The coach's booking pages under /coach/bookings/ (staff only, by CoachAreaMiddleware)."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bookings import feeds, hooks, hours, pages, series, services
from bookings.availability import slots_for
from bookings.forms import (
    BusyCalendarForm,
    CoachMessageForm,
    ExceptionForm,
    HoursFormSet,
    MoveTimeForm,
    SeriesForm,
    SessionTypeForm,
    slot_id,
)
from bookings.models import (
    AvailabilityException,
    Booking,
    BusyCalendar,
    CoachCalendar,
    SessionType,
)
from bookings.week import time_off_clashes, week_view
from clients.intake.models import Response as IntakeResponse
from coaching.emails import absolute_url
from coaching.hooks import panels


def _get_booking_for_user(request: HttpRequest, pk: int) -> Booking:
    queryset = Booking.objects.select_related(
        "session_type__calendar", "client", "calendar", "video_room"
    )
    return get_object_or_404(queryset, pk=pk)


def booking_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming = (
        Booking.objects.upcoming(now)
        .select_related("session_type", "client")
        .annotate(
            pending_first=Case(
                When(status=Booking.Status.PENDING, then=0), default=1, output_field=IntegerField()
            )
        )  # fmt: skip
        .order_by("pending_first", "start")[:200]
    )
    recent = (
        Booking.objects.filter(end__lte=now, end__gt=now - timedelta(days=14))
        .select_related("session_type")
        .order_by("-start")[:50]
    )
    context = {"upcoming": upcoming, "recent": recent, "calendar": CoachCalendar.load()}
    return render(request, "bookings/coach_list.html", context)


def week(request: HttpRequest) -> HttpResponse:
    calendar = CoachCalendar.load()
    tz = calendar.zone
    today = timezone.now().astimezone(tz).date()
    first = pages.parse_date(request.GET.get("start")) or today
    first -= timedelta(days=first.weekday())
    context = {
        "week": week_view(calendar, first),
        "previous": first - timedelta(days=7),
        "next": first + timedelta(days=7),
    }
    return render(request, "bookings/coach_week.html", context)


def _intake_url(booking: Booking) -> str:
    """The assessment the booking was made from, else the client's latest one: a booking
    made again after a cancellation, from any page, still leads to it."""
    public_id = booking.intake_public_id
    if public_id is None and booking.client_id:
        taken = IntakeResponse.objects.for_client(booking.client).submitted()
        public_id = taken.values_list("public_id", flat=True).first()
    return reverse("intake_coach:response", args=[public_id]) if public_id else ""


def detail(request: HttpRequest, pk) -> HttpResponse:
    booking = _get_booking_for_user(request, pk)
    context = {
        "booking": booking,
        "zone": booking.calendar.zone,
        "client_url": reverse("clients_coach:detail", args=[booking.client_id])
        if booking.client_id
        else "",
        "intake_url": _intake_url(booking),
        "started": timezone.now() >= booking.start,
        "message_form": CoachMessageForm(),
        "reminders": booking.reminders.all(),
        "changes": booking.changes.all(),
        "panels": panels(hooks.booking_panels, request, booking),
    }
    return render(request, "bookings/coach_detail.html", context)


def _coach_message(request: HttpRequest) -> str:
    form = CoachMessageForm(request.POST)
    return form.cleaned_data["message"] if form.is_valid() else ""


def _booking_action(done: str) -> Callable:
    """A POST-only view that makes one service call on the booking: then `done` on the booking
    page, or, if refused, the booking page with why (409 when someone, or another tab, was
    first)."""

    def decorator(call: Callable[[HttpRequest, Booking], object]) -> Callable:
        @require_POST
        @wraps(call)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            booking = _get_booking_for_user(request, pk)
            try:
                call(request, booking)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                response = detail(request, pk)
                response.status_code = 409 if exc.code in ("conflict", "slot_taken") else 400
                return response
            messages.success(request, done)
            return redirect("bookings_coach:detail", pk=booking.pk)

        return view

    return decorator


@_booking_action("Approved; the client has their confirmation.")
def approve(request: HttpRequest, booking: Booking) -> None:
    services.booking_approve(booking=booking)


@_booking_action("Declined; the client has been told.")
def decline(request: HttpRequest, booking: Booking) -> None:
    services.booking_decline(booking=booking, message=_coach_message(request))


@_booking_action("Cancelled; the client has been told.")
def cancel(request: HttpRequest, booking: Booking) -> None:
    services.booking_cancel(booking=booking, by_coach=True, message=_coach_message(request))


@_booking_action("Marked as attended.")
def attended(request: HttpRequest, booking: Booking) -> None:
    services.booking_mark_attended(booking=booking)


@_booking_action("Marked as a no-show; a kind note inviting the client to re-book is on its way.")
def no_show(request: HttpRequest, booking: Booking) -> None:
    services.booking_mark_no_show(booking=booking)


def move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking_for_user(request, pk)
    tz = booking.calendar.zone
    if request.method == "POST":
        form = MoveTimeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("Please choose a time.")
            services.booking_move(booking=booking, start=form.cleaned_data["start"], by_coach=True)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Moved; the client has the new time and calendar file.")
            return redirect("bookings_coach:detail", pk=booking.pk)
    by_date = pages.group(slots_for(booking.session_type, exclude_booking=booking), tz)
    selected = pages.parse_date(request.GET.get("day")) or min(by_date, default=None)
    context = {
        "booking": booking, "zone": tz, "days": sorted(by_date)[:60], "selected": selected,
        "choices": pages.choices(by_date.get(selected, []), tz),
    }  # fmt: skip
    return render(request, "bookings/coach_move.html", context)


def type_list(request: HttpRequest) -> HttpResponse:
    types = list(SessionType.objects.all())
    offline_paid = [t.name for t in types if t.is_active and not t.bookable_online]
    context = {"types": types, "offline_paid": offline_paid}
    return render(request, "bookings/coach_types.html", context)


def type_edit(request: HttpRequest, pk=None) -> HttpResponse:
    instance = get_object_or_404(SessionType, pk=pk) if pk else None
    form = SessionTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        session_type = form.save(commit=False)
        if instance is None:
            session_type.calendar = CoachCalendar.load()
        session_type.save()
        messages.success(request, f"{session_type.name} is saved.")
        return redirect("bookings_coach:types")
    return render(request, "bookings/coach_type_form.html", {"form": form, "instance": instance})


def hours_edit(request: HttpRequest) -> HttpResponse:
    calendar = CoachCalendar.load()
    formset = HoursFormSet(request.POST or None, queryset=calendar.hours.all(), prefix="hours")
    week_errors: list[str] = []  # the service's verdict on the week as a whole
    if request.method == "POST" and formset.is_valid():
        ranges = [
            (data["weekday"], data["start"], data["end"])
            for data in formset.cleaned_data
            if data and not data.get("DELETE")
        ]
        try:
            hours.hours_replace(calendar=calendar, ranges=ranges)
        except ValidationError as exc:
            week_errors = exc.messages
        else:
            messages.success(request, "Your weekly hours are saved.")
            return redirect("bookings_coach:hours")
    exceptions = list(calendar.exceptions.filter(date__gte=timezone.now().date()))
    context = {
        "formset": formset,
        "week_errors": [*formset.non_form_errors(), *week_errors],
        "exception_form": ExceptionForm(),
        "exceptions": exceptions,
        "clashes": time_off_clashes(calendar=calendar, exceptions=exceptions),
        "calendar": calendar,
    }
    return render(request, "bookings/coach_hours.html", context)


@require_POST
def exception_add(request: HttpRequest) -> HttpResponse:
    calendar = CoachCalendar.load()
    form = ExceptionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        exception = hours.exception_add(calendar=calendar, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("bookings_coach:hours")
    clashes = time_off_clashes(calendar=calendar, exceptions=[exception])
    if clashes:
        count = len(clashes[0][1])
        sessions = "1 booked session falls" if count == 1 else f"{count} booked sessions fall"
        them = "it" if count == 1 else "them"
        messages.warning(request, f"Added, but {sessions} in it: move or cancel {them} below.")
    else:
        messages.success(request, "Added.")
    return redirect("bookings_coach:hours")


@require_POST
def exception_remove(request: HttpRequest, pk) -> HttpResponse:
    hours.exception_remove(exception=get_object_or_404(AvailabilityException, pk=pk))
    messages.success(request, "Removed.")
    return redirect("bookings_coach:hours")


def feed(request: HttpRequest) -> HttpResponse:
    calendar = CoachCalendar.load()
    if request.method == "POST":
        hours.feed_token_regenerate(calendar=calendar)
        messages.success(request, "A new feed address is ready; the old one no longer works.")
        return redirect("bookings_coach:feed")
    url = absolute_url(reverse("bookings:coach_feed", args=[calendar.feed_token]))
    return render(request, "bookings/coach_feed.html", {"feed_url": url})


def calendars(request: HttpRequest) -> HttpResponse:
    """The coach's own calendars, whose busy times block slots (read by a worker)."""
    calendar = CoachCalendar.load()
    form = BusyCalendarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feeds.busy_calendar_add(calendar=calendar, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("url", exc)
        else:
            messages.success(request, "Added. Its busy times will block bookings within minutes.")
            return redirect("bookings_coach:calendars")
    context = {"form": form, "feeds": calendar.feeds.order_by("name")}
    return render(request, "bookings/coach_calendars.html", context)


@require_POST
def calendar_remove(request: HttpRequest, pk) -> HttpResponse:
    feeds.busy_calendar_remove(feed=get_object_or_404(BusyCalendar, pk=pk))
    messages.success(request, "Removed. Its busy times no longer block bookings.")
    return redirect("bookings_coach:calendars")


def book(request: HttpRequest) -> HttpResponse:
    """The coach books a session or a series for a client (from the client's page or the week).

    A busy time from the coach's calendars comes back as a warning with a checkbox naming its dates;
    another booking's time is refused. Whatever is refused, the form keeps what was typed.
    """
    zone = CoachCalendar.load().zone
    form = SeriesForm(request.POST or None, initial=_book_initial(request), zone=zone)
    busy_ids, status = "", 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            bookings = series.booking_series_create(
                client=form.cleaned_data["client"], session_type=form.cleaned_data["session_type"],
                starts=form.starts(), busy_confirmed=form.cleaned_data["confirm_busy"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 409  # the form was fine; the calendar or the package said no
            if isinstance(exc, series.BusyClash):
                busy_ids = ",".join(slot_id(start) for start in exc.starts)
        else:
            messages.success(request, _booked_message(bookings, zone))
            return redirect("clients_coach:detail", bookings[0].client_id)
    context = {"form": form, "busy_ids": busy_ids, "zone": zone}
    return render(request, "bookings/coach_book.html", context, status=status)


def _book_initial(request: HttpRequest) -> dict:
    """What a link may fill in (?client=<id>&day=YYYY-MM-DD&at=HH:MM), and a new request key:
    a double-click or a resubmit books once."""
    filled = {key: request.GET[key] for key in ("client", "day", "at") if request.GET.get(key)}
    return {**filled, "idempotency_key": uuid4().hex}


def _booked_message(bookings: list[Booking], zone) -> str:
    dates = series.describe([bookings[0].start], zone)
    if len(bookings) > 1:
        dates = f"from {dates} to {series.describe([bookings[-1].start], zone)}"
    package = bookings[0].package
    counted = f", counted in {package.name}" if package else ""
    sessions = "1 session" if len(bookings) == 1 else f"{len(bookings)} sessions"
    return f"Booked {sessions} {dates}{counted}. The client has one email with every date."
