from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

from bookings import series, slots
from bookings.models import AvailabilityException, SessionType, WeeklyHours
from clients.models import Client
from coaching.forms import HoneypotMixin, single_line
from coaching.zones import parse_zone

SLOT_FORMAT = "%Y%m%dT%H%M%SZ"
# The dates a URL or a form may name. Far enough from datetime's own limits (years 1 and 9999)
# that a session, a week or a month around them, in any zone, can still be computed.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def within_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def slot_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(SLOT_FORMAT)


def parse_slot_id(value: str) -> datetime | None:
    try:
        start = datetime.strptime(value or "", SLOT_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return start if within_range(start.date()) else None


class BookingForm(HoneypotMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(label="Your email")
    phone = forms.CharField(
        max_length=40, required=False, label="Phone (optional)",
        help_text="Only used if the video link fails.",
    )  # fmt: skip
    topic = forms.CharField(
        required=False, max_length=2000, label="What would you like to talk about? (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    discreet = forms.BooleanField(
        required=False, label="Keep invites discreet",
        help_text="Calendar invites, email subjects and reminders will only say "
        "\u201cAppointment with\u201d and the coach's first name.",
    )  # fmt: skip
    consent = forms.BooleanField(
        label="I agree to be contacted about this booking.",
        error_messages={"required": "Please agree to be contacted, so we can send the details."},
    )
    newsletter = forms.BooleanField(
        required=False, label="Send me the newsletter too (you will be asked to confirm)."
    )
    start = forms.CharField(widget=forms.HiddenInput)
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False)
    intake = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def clean_name(self):
        return single_line(self.cleaned_data["name"])

    def clean_phone(self):
        return single_line(self.cleaned_data["phone"])

    def clean_start(self):
        start = parse_slot_id(self.cleaned_data["start"])
        if start is None:
            raise ValidationError("Please choose a time from the calendar.")
        return start

    def clean_time_zone(self):
        zone = parse_zone(self.cleaned_data["time_zone"])
        return zone.key if zone else ""  # a tampered hidden field: the coach's zone then


class MoveTimeForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput)

    def clean_start(self):
        start = parse_slot_id(self.cleaned_data["start"])
        if start is None:
            raise ValidationError("Please choose a time.")
        return start


class ReasonForm(forms.Form):
    """The client's optional word to the coach when cancelling or moving."""

    reason = forms.CharField(
        required=False, max_length=2000, label="Would you like to say why? (optional)",
        label_suffix="", help_text="Only the coach reads this; it is not emailed to anyone.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class MoveForm(ReasonForm, MoveTimeForm):
    """A new time from the move page: first shown for confirmation, then confirmed."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CoachMessageForm(forms.Form):
    message = forms.CharField(
        required=False, max_length=2000, label="Message to the client (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class SessionTypeForm(forms.ModelForm):
    reminder_minutes = forms.CharField(
        required=False, label="Reminders (minutes before, comma separated)",
        help_text="For example 1440, 60 for a day and an hour before.",
    )  # fmt: skip

    class Meta:
        model = SessionType
        fields = [
            "name", "slug", "description", "duration_minutes", "is_free", "price", "currency",
            "payment_note", "location", "location_detail", "buffer_before_minutes",
            "buffer_after_minutes", "min_notice_minutes", "window_days", "step_minutes",
            "daily_limit", "is_public", "needs_approval", "cutoff_hours", "one_per_person",
            "reminder_minutes", "is_active", "order",
        ]  # fmt: skip

    def initial_reminders(self):
        return ", ".join(str(m) for m in self.instance.reminder_minutes or [])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["reminder_minutes"] = self.initial_reminders()

    def clean_reminder_minutes(self):
        raw = [part.strip() for part in self.cleaned_data["reminder_minutes"].split(",")]
        try:
            minutes = sorted({int(part) for part in raw if part}, reverse=True)
        except ValueError:
            raise ValidationError("Use whole numbers of minutes, like 1440, 60.") from None
        if any(m <= 0 or m > 14 * 24 * 60 for m in minutes):
            raise ValidationError("Each reminder must be between 1 minute and 14 days before.")
        return minutes


class WeeklyHoursForm(forms.ModelForm):
    class Meta:
        model = WeeklyHours
        fields = ["weekday", "start", "end"]
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}),
                   "end": forms.TimeInput(attrs={"type": "time"})}  # fmt: skip


class ExceptionForm(forms.ModelForm):
    class Meta:
        model = AvailabilityException
        fields = ["date", "kind", "start", "end"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}),
                   "start": forms.TimeInput(attrs={"type": "time"}),
                   "end": forms.TimeInput(attrs={"type": "time"})}  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        exception = slots.DateException(
            cleaned["date"], cleaned.get("start"), cleaned.get("end"), cleaned["kind"]
        )
        try:
            slots.validate_ranges([exception])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return cleaned


HoursFormSet = forms.modelformset_factory(
    WeeklyHours, form=WeeklyHoursForm, extra=3, can_delete=True
)


class BusyCalendarForm(forms.Form):
    name = forms.CharField(max_length=80, help_text='For you, e.g. "Family" or "Work".')
    url = forms.URLField(
        label="Private address (ICS)",
        max_length=2000,
        assume_scheme="https",
        help_text="In Google Calendar: Settings, your calendar, “Secret address in iCal format”. "
        "Outlook and Apple Calendar publish one too. Keep it private.",
    )


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class SeriesForm(forms.Form):
    """The coach books for a client: a time in the coach's zone, once or as a series."""

    client = ClientChoiceField(queryset=Client.objects.none(), empty_label="Choose a client")
    session_type = forms.ModelChoiceField(
        queryset=SessionType.objects.filter(is_active=True), empty_label=None
    )
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    repeat = forms.ChoiceField(
        choices=[("once", "Does not repeat"), ("weekly", "Every week"),
                 ("fortnightly", "Every two weeks")],
        initial="once",
    )  # fmt: skip
    count = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=series.MAX_SESSIONS, initial=4,
        help_text="For a series, the first included.",
    )  # fmt: skip
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    # The busy dates the coach saw and confirmed (slot ids), from the warning's checkbox.
    confirm_busy = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        people = Client.objects.filter(people__isnull=False).distinct()
        self.fields["client"].queryset = people.prefetch_related("people")
        self.fields["at"].help_text = f"In {zone.key}, kept across clock changes."

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not within_range(day):
            raise ValidationError("Please choose a date nearer today.")
        return day

    def clean_confirm_busy(self):
        parsed = (parse_slot_id(part) for part in self.cleaned_data["confirm_busy"].split(","))
        return [start for start in parsed if start]

    def starts(self) -> list[datetime]:
        data = self.cleaned_data
        return series.occurrences(
            first_day=data["day"], at=data["at"], tz=self.zone,
            every_weeks=series.REPEATS[data["repeat"]], count=data["count"],
        )  # fmt: skip
