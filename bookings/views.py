"""Public booking pages: choose a session type, a day and a time, then book; manage by link."""

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from bookings import hooks, ics, pages
from bookings.availability import nearest_slots, slots_for
from bookings.calendar_links import calendar_links
from bookings.formatting import time_range
from bookings.forms import BookingForm, MoveForm, ReasonForm, parse_slot_id, slot_id
from bookings.links import StaleLink, booking_for_token, manage_token, pay_token
from bookings.models import Booking, CoachCalendar, SessionType
from bookings.services import (
    AlreadyHandled,
    Booker,
    IdempotencyConflict,
    SlotPassed,
    SlotTaken,
    booking_cancel,
    booking_check_slot,
    booking_create,
    booking_move,
    package_left,
    paid_package_for,
)
from clients.models import Person
from coaching.hooks import panels
from coaching.tokens import TokenInvalid
from coaching.zones import zone_choices


def _zone_context(request: HttpRequest, fallback) -> dict:
    """The zone to show times in: the visitor's, else `fallback`. On a first visit the
    server cannot know it yet: the page says it guessed, and zone.js loads it again in the
    zone the browser reports (only for a GET: a reload must not drop a form's answers)."""
    zone = request.visitor_zone or fallback
    guessed = request.visitor_zone is None and request.method == "GET"
    return {"zone": zone, "zone_guessed": guessed}


def _get_session_type(slug: str) -> SessionType:
    return get_object_or_404(
        SessionType.objects.bookable_online().select_related("calendar"), slug=slug
    )


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    types = SessionType.objects.bookable_online().filter(is_public=True)
    context = {"types": types, "panels": panels(hooks.index_panels, request)}
    return render(request, "bookings/index.html", context)


def _picker_context(
    request: HttpRequest, session_type, *, fallback_zone, exclude_booking=None
) -> dict:
    context = _zone_context(request, fallback_zone)
    tz, now = context["zone"], timezone.now()
    by_date = pages.group(slots_for(session_type, exclude_booking=exclude_booking), tz)
    selected = pages.parse_date(request.GET.get("day"))
    if selected not in by_date:
        selected = None
    month = pages.parse_date(request.GET.get("month")) or selected or min(by_date, default=None)
    month = (month or now.astimezone(tz).date()).replace(day=1)
    intake = request.GET.get("intake", "")[:500]
    return context | {
        "session_type": session_type,
        "zones": zone_choices(tz, now),
        "zone_typed": request.GET.get("tz", "")[:100] if not request.chosen_zone else "",
        "month": pages.month_view(by_date, month, selected),
        "selected": selected,
        "choices": pages.choices(by_date.get(selected, []), tz),
        "has_slots": bool(by_date),
        "intake": intake,
        "carry": _carry(request, intake=intake),
    }


def _carry(request: HttpRequest, **values) -> str:
    """The query the page's links keep: the zone only if the visitor chose it here (a guessed
    or reported one is never pinned: the cookie follows the browser), and `values`."""
    chosen = request.chosen_zone.key if request.chosen_zone else ""
    return urlencode({key: value for key, value in (("tz", chosen), *values.items()) if value})


@login_not_required
def book(request: HttpRequest, slug) -> HttpResponse:
    session_type = _get_session_type(slug)
    context = _picker_context(request, session_type, fallback_zone=session_type.calendar.zone)
    return render(request, "bookings/book.html", context)


def _booker(form: BookingForm, request) -> Booker:
    data = form.cleaned_data
    return Booker(
        name=data["name"], email=data["email"], phone=data["phone"], topic=data["topic"],
        time_zone=data["time_zone"] or str(request.visitor_zone or ""), discreet=data["discreet"],
        newsletter=data["newsletter"], intake_token=data["intake"],
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        client_id=_signed_in_client_id(request),
    )  # fmt: skip


def _signed_in_person(request) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).select_related("client").first()


def _signed_in_client_id(request) -> int | None:
    person = _signed_in_person(request)
    return person.client_id if person else None


def _initial(request: HttpRequest, session_type) -> dict:
    tz = request.visitor_zone or session_type.calendar.zone
    person = _signed_in_person(request)  # a client booking from their account: no retyping
    return {
        "start": request.GET.get("start", ""),
        "time_zone": tz.key,
        "intake": request.GET.get("intake", "")[:500],
        "idempotency_key": uuid4().hex,  # a double-click or a resubmit books once
    } | ({"name": person.name, "email": person.email} if person else {})


@login_not_required
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def booking_form(request: HttpRequest, slug) -> HttpResponse:
    session_type = _get_session_type(slug)
    form = BookingForm(request.POST or None, initial=_initial(request, session_type))
    if request.method != "POST":
        return _form_page_for_get(request, session_type, form)
    if not form.is_valid():
        return _form_page(request, session_type, form, status=400)
    return _submit(request, session_type, form)


def _submit(request: HttpRequest, session_type, form):
    """Book, or say why not: 409 taken, 422 key reused, 400 another rule; never a 500."""
    key = request.headers.get("Idempotency-Key") or form.cleaned_data["idempotency_key"]
    start = form.cleaned_data["start"]
    try:
        booking = booking_create(
            session_type=session_type, start=start, booker=_booker(form, request),
            idempotency_key=key or None, hold=session_type.takes_payment,
        )  # fmt: skip
    except SlotTaken as exc:
        return _taken(request, session_type, form, exc, start)
    except IdempotencyConflict as exc:
        form.add_error(None, exc)
        return _form_page(request, session_type, form, status=422)
    except ValidationError as exc:
        form.add_error(None, exc)
        second_free_call = exc.code == "one_per_person"
        return _form_page(request, session_type, form, status=400, other_sessions=second_free_call)
    _remember_booker(request, booking)
    if booking.status == Booking.Status.HELD:  # a paid time: kept while the visitor pays
        return _see_other(reverse("payments:pay", args=[pay_token(booking)]))
    return _see_other(reverse("bookings:booked", args=[manage_token(booking)]))


def _form_page_for_get(request: HttpRequest, session_type, form):
    """The form for a chosen time; if it went or passed meanwhile, say so now and offer the
    nearest."""
    start = parse_slot_id(request.GET.get("start", ""))
    try:
        if start is not None:
            booking_check_slot(session_type=session_type, start=start)
    except SlotTaken as exc:
        alternatives = nearest_slots(session_type, start)
        gone = "passed" if isinstance(exc, SlotPassed) else "taken"
        return _form_page(request, session_type, form, alternatives=alternatives, gone=gone)
    return _form_page(request, session_type, form)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _form_page(
    request: HttpRequest,
    session_type,
    form,
    *,
    status=200,
    alternatives=(),
    other_sessions=False,
    gone="",
):
    start = parse_slot_id(form["start"].value() or "")
    context = _zone_context(request, session_type.calendar.zone)
    person = _signed_in_person(request)
    package = paid_package_for(person.client, session_type) if person else None
    context |= {
        "package": package,
        "package_left": package_left(package) if package else 0,
        "session_type": session_type,
        "form": form,
        "start": start,
        "end": start + session_type.duration if start else None,
        "alternatives": pages.choices(list(alternatives), context["zone"]),
        "carry": _carry(request),
        "other_sessions": other_sessions,
        "gone": gone,
    }
    return render(request, "bookings/form.html", context, status=status)


def _taken(request: HttpRequest, session_type, form, exc, start):
    """409: someone was faster. Offer the nearest free times; keep what was typed."""
    form.add_error(None, exc)
    alternatives = nearest_slots(session_type, start)
    return _form_page(request, session_type, form, status=409, alternatives=alternatives)


CHANGED_MEANWHILE = "This booking changed while the page was open. Here it is as it is now."
# The bookings this browser made: only their confirmation page names the booker.
BOOKED_KEY = "bookings_booked"


def _with_booking(view):
    """Resolve the signed link to its booking: 404 if forged. A link from an earlier email
    leads to the booking as it is now while it is active (410 Gone once it is not)."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            booking = booking_for_token(token)
        except TokenInvalid:
            raise Http404 from None
        except StaleLink as exc:
            return _stale(request, exc.booking)
        return view(request, booking, token, *args, **kwargs)

    return login_not_required(never_cache(wrapper))


def _stale(request: HttpRequest, booking):
    """An older link of a booking that changed since: the same page with today's link; a form
    posted from a page that showed the booking as it was changes nothing."""
    if not booking.is_active:
        return render(request, "bookings/gone.html", {"booking": booking}, status=410)
    token = manage_token(booking)
    if request.method == "POST":
        return _manage_page(request, booking, token, error=CHANGED_MEANWHILE, status=409)
    url = reverse(request.resolver_match.view_name, args=[token])
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


def _remember_booker(request: HttpRequest, booking: Booking) -> None:
    booked = request.session.get(BOOKED_KEY, [])
    if str(booking.public_id) not in booked:
        request.session[BOOKED_KEY] = [*booked[-9:], str(booking.public_id)]


@_with_booking
def booked(request: HttpRequest, booking, token) -> HttpResponse:
    """The confirmation page. Anyone with the link may open it, so it names the booker (name,
    email) only in the browser that booked; a confirmed booking offers its calendar links."""
    context = _zone_context(request, booking.zone) | {
        "booking": booking, "token": token,
        "is_booker": str(booking.public_id) in request.session.get(BOOKED_KEY, []),
        "calendar_links": calendar_links(booking)
        if booking.status == Booking.Status.CONFIRMED
        else None,
    }  # fmt: skip
    return render(request, "bookings/booked.html", context)


@_with_booking
def invite(request: HttpRequest, booking, token) -> HttpResponse:
    """The booking's .ics, to add it to Apple's Calendar (or any other) from the page."""
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(ics.booking_event(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def _manage_page(request: HttpRequest, booking, token, *, error="", status=200):
    context = _zone_context(request, booking.zone) | {
        "booking": booking, "token": token, "can_change": booking.can_change(), "error": error,
    }  # fmt: skip
    return render(request, "bookings/manage.html", context, status=status)


@_with_booking
def manage(request: HttpRequest, booking, token) -> HttpResponse:
    """Only shows the booking: mail scanners follow links, so changes need a POST."""
    return _manage_page(request, booking, token)


@ratelimit(key="ip", rate="20/m", method="POST", block=True)
@_with_booking
def cancel(request: HttpRequest, booking, token) -> HttpResponse:
    """GET: "Cancel this booking?", with an optional reason; only its POST cancels."""
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" and not booking.can_change():
        return redirect("bookings:manage", token)
    if not form.is_valid():
        context = {"booking": booking, "token": token, "zone": booking.zone, "form": form,
                   "terms": _cancel_terms(booking)}  # fmt: skip
        return render(request, "bookings/cancel.html", context, status=400 if form.errors else 200)
    try:
        booking_cancel(booking=booking, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        status = 409 if isinstance(exc, AlreadyHandled) else 400
        return _manage_page(request, booking, token, error=exc.messages[0], status=status)
    return render(request, "bookings/cancelled.html", {"booking": booking})


def _cancel_terms(booking) -> str:
    """What cancelling now does to what was paid, by the session type's policy: "refund" or
    "no_refund" for a booking paid online, "credit_back" or "credit_spent" for one paid with a
    package's session, "" for any other."""
    in_time = booking.refund_due(timezone.now())
    if booking.package_id:
        return "credit_back" if in_time else "credit_spent"
    if booking.held_until and booking.session_type.takes_payment:  # paid online
        return "refund" if in_time else "no_refund"
    return ""


@ratelimit(key="ip", rate="20/m", method="POST", block=True)
@_with_booking
def move(request: HttpRequest, booking, token) -> HttpResponse:
    """GET: the free times. POST a time: "Move your booking?" with the old and the new time and
    an optional reason. POST it confirmed: the move."""
    if not booking.can_change():
        return redirect("bookings:manage", token)
    if request.method != "POST":
        return _move_picker(request, booking, token)
    form = MoveForm(request.POST)
    form.is_valid()
    start = form.cleaned_data.get("start")
    if start is None:
        return _move_picker(request, booking, token, error="Please choose a time.", status=400)
    if form.errors or not form.cleaned_data["confirm"]:
        return _move_confirmation(request, booking, token, form, start)
    try:
        moved = booking_move(booking=booking, start=start, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _move_picker(request, booking, token, error=exc.messages[0], status=409)
    messages.success(request, "Your booking has moved. A confirmation is on its way by email.")
    return _see_other(reverse("bookings:booked", args=[manage_token(moved)]))


def _move_picker(request: HttpRequest, booking, token, *, error="", status=200):
    context = _picker_context(
        request, booking.session_type, fallback_zone=booking.zone, exclude_booking=booking
    )
    context.update(booking=booking, token=token, error=error)
    return render(request, "bookings/move.html", context, status=status)


def _move_confirmation(request: HttpRequest, booking, token, form, start):
    """The old and the new time side by side, in the zone the times were chosen in."""
    try:
        booking_check_slot(session_type=booking.session_type, start=start, exclude_booking=booking)
    except ValidationError as exc:
        return _move_picker(request, booking, token, error=exc.messages[0], status=409)
    context = _zone_context(request, booking.zone)
    tz = context["zone"]
    context |= {
        "booking": booking, "token": token, "form": form, "start": slot_id(start),
        "day": start.astimezone(tz).date(),
        "new_time": time_range(start, start + booking.session_type.duration, tz),
    }  # fmt: skip
    status = 400 if form.errors else 200
    return render(request, "bookings/move_confirm.html", context, status=status)


@login_not_required
def coach_feed(request: HttpRequest, token) -> HttpResponse:
    """The coach's private calendar feed: the secret in the URL is the only key."""
    if "\x00" in token:  # PostgreSQL text cannot hold NUL; no feed has one
        raise Http404
    calendar = get_object_or_404(CoachCalendar, feed_token=token)
    bookings = (
        Booking.objects.filter(calendar=calendar, status__in=Booking.BLOCKING_FINAL)
        .filter(end__gte=timezone.now() - timedelta(days=30))
        .select_related("session_type", "video_room")
    )
    response = HttpResponse(ics.coach_feed(bookings), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
