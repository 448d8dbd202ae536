import csv
import io
import re
import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.validators import EmailValidator
from django.utils import timezone

from coaching.forms import HoneypotMixin, single_line
from content.newsletter.campaigns import check_schedule_time
from content.newsletter.models import Campaign, Sequence, Subscriber, Topic
from content.newsletter.segments import Assessment, Segment, Stage


def topic_field(required=True):
    return forms.ModelMultipleChoiceField(
        queryset=Topic.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": "Choose at least one topic."},
    )


class SubscribeForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        error_messages={"invalid": "Please enter an email address like name@example.com."},
    )
    first_name = forms.CharField(label="First name (optional)", max_length=80, required=False)
    # Absent (the footer form has no topic boxes): every active topic; changeable later.
    topics = topic_field(required=False)
    form_id = forms.SlugField(max_length=40, required=False, widget=forms.HiddenInput)

    def clean_first_name(self):
        return single_line(self.cleaned_data["first_name"])

    def chosen_topics(self) -> list[Topic]:
        return list(self.cleaned_data["topics"] or Topic.objects.active())


class PreferencesForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=80, required=False)
    topics = topic_field(required=False)
    paused = forms.BooleanField(label="Pause all emails for now", required=False)

    def clean_first_name(self):
        return single_line(self.cleaned_data["first_name"])


class AudienceForm(forms.Form):
    """Whom a campaign goes to: its topics, then optionally stage, assessment, join dates."""

    topics = topic_field()
    stages = forms.MultipleChoiceField(
        label="Stage",
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every stage.",
    )
    assessment = forms.ChoiceField(
        label="Assessment", choices=Assessment.choices, widget=forms.RadioSelect, required=False
    )
    joined_from = forms.DateField(
        label="Joined from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    joined_to = forms.DateField(
        label="Joined until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("joined_from"), cleaned.get("joined_to")
        if since and until and since > until:
            self.add_error("joined_to", "Choose a day on or after the first one.")
        return cleaned

    def segment(self) -> Segment:
        """The segment chosen (call after is_valid())."""
        data = self.cleaned_data
        return Segment(
            topic_ids=[topic.pk for topic in data["topics"]],
            stages=tuple(data["stages"]),
            assessment=data["assessment"],
            joined_from=data["joined_from"],
            joined_to=data["joined_to"],
        )


LETTER_LABELS = {"body_markdown": "Body (Markdown; images as ![description](https://...))"}
LETTER_HELP = {
    "subject": 'Merge tags work here too: "Hello {{ first_name|default:"there" }}".',
    "preheader": "The line mail apps show after the subject.",
    "body_markdown": "Merge tags: {{ first_name }} is each subscriber's first name (the "
    "one they gave, else the one on their client record); "
    '{{ first_name|default:"there" }} shows "there" to anyone without one. Anything else '
    "in double braces, or any other template syntax, is refused when you save. The preview "
    "shows the email as a subscriber you choose.",
}
LETTER_WIDGETS = {"body_markdown": forms.Textarea(attrs={"rows": 16})}


class LetterFieldsMixin:
    """Subject and preheader are one line each (a header)."""

    def clean_subject(self):
        return single_line(self.cleaned_data["subject"])

    def clean_preheader(self):
        return single_line(self.cleaned_data["preheader"])


class CampaignForm(LetterFieldsMixin, AudienceForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "subject", "preheader", "body_markdown", "topics", "stages", "assessment",
            "joined_from", "joined_to", "published",
        ]  # fmt: skip
        labels = LETTER_LABELS
        help_texts = LETTER_HELP
        widgets = LETTER_WIDGETS


class SequenceForm(forms.ModelForm):
    class Meta:
        model = Sequence
        fields = ["name", "trigger", "topic"]
        widgets = {"trigger": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.active()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("trigger") != Sequence.Trigger.TOPIC:
            cleaned["topic"] = None
        elif not cleaned.get("topic"):
            self.add_error("topic", "Choose the topic whose confirmation starts the series.")
        return cleaned


class StepForm(LetterFieldsMixin, forms.ModelForm):
    """A sequence's letter: its campaign's subject, preheader and body, and its delay."""

    delay_days = forms.IntegerField(
        label="Days after joining",
        min_value=0,
        max_value=365,
        help_text="0: the first morning after joining (in their time zone where known, else "
        "yours); 1: the morning after; …",
    )

    class Meta:
        model = Campaign
        fields = ["subject", "preheader", "body_markdown"]
        labels = LETTER_LABELS
        help_texts = LETTER_HELP
        widgets = LETTER_WIDGETS


class CampaignTestForm(forms.Form):
    """A test send: the addresses it goes to, and whose merge values it shows."""

    MAX_ADDRESSES = 5

    addresses = forms.CharField(
        label="Send a test to",
        max_length=(254 + 2) * MAX_ADDRESSES,
        help_text="Up to 5 addresses, separated by commas or spaces. Its subject starts with "
        "[Test]; nobody on your list receives it.",
        error_messages={"required": "Give at least one address."},
    )
    subscriber = forms.CharField(required=False, max_length=24, widget=forms.HiddenInput)

    def clean_addresses(self) -> list[str]:
        words = re.split(r"[\s,;]+", self.cleaned_data["addresses"])
        addresses = list({word.lower(): word for word in words if word}.values())
        if not addresses:
            raise forms.ValidationError("Give at least one address.")
        if len(addresses) > self.MAX_ADDRESSES:
            raise forms.ValidationError(
                "Up to %(max)s addresses at a time, please: you gave %(count)s.",
                params={"max": self.MAX_ADDRESSES, "count": len(addresses)},
            )
        check = EmailValidator()
        for address in addresses:
            try:
                check(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "“%(address)s” is not an email address like name@example.com.",
                    params={"address": address[:60]},
                ) from None
        return addresses


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={"required": "Please give a date and a time."},
    )

    def clean_at(self):
        # The coach types a wall-clock time in the coach's zone; stored in UTC.
        value: datetime = self.cleaned_data["at"]
        zone = zoneinfo.ZoneInfo(settings.COACH_TIME_ZONE)
        at = timezone.make_aware(value.replace(tzinfo=None), zone)
        check_schedule_time(at)
        return at


class ConfirmSendForm(forms.Form):
    """The confirmation's button: the number of recipients the coach was shown."""

    recipients = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "description"]


class SubscriberFilterForm(forms.Form):
    """The subscriber list's search and filters, read from the URL through a form: a NUL byte
    (which PostgreSQL refuses) or an unknown status drops that filter, not the page."""

    q = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *Subscriber.Status.choices])
    topic = forms.SlugField(required=False)

    def filters(self) -> tuple[str, str, str]:
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return tuple(self.cleaned_data.get(name) or "" for name in ("q", "status", "topic"))


class PublishForm(forms.Form):
    published = forms.BooleanField(required=False)  # absent: take it out of the archive


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, first_name, topics (slugs separated by ;), consent "
        "(yes when you hold proof of consent; other rows get a confirmation email).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Please upload a file under 5 MB.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Please save the file as UTF-8 CSV.") from None
        reader = csv.DictReader(io.StringIO(text))
        if "email" not in (reader.fieldnames or []):
            raise forms.ValidationError(
                "The first row must name the columns, with an email column."
            )
        return list(reader)
