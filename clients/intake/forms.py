from django import forms

from clients.intake.models import HelplineResource, Response
from clients.intake.services import SAFE_CONTACT_CHOICES
from coaching.forms import HoneypotMixin, single_line


class ConsentForm(HoneypotMixin, forms.Form):
    """docs/reliability.md D-08: a separate, unticked explicit consent for special-category data,
    and 18+."""

    consent = forms.BooleanField(
        label="I agree that my answers, including answers about sex, money and safety, are "
        "stored and used for coaching as described above.",
        error_messages={"required": "Please tick this box to take part: we need your consent."},
    )
    adult = forms.BooleanField(
        label="I am 18 or over.",
        error_messages={"required": "The assessment is for adults: please confirm you are 18+."},
    )
    # No default of our own: the view suggests the visitor's country when the browser says.
    country = forms.ChoiceField(
        label="Where do you live?",
        choices=[("", "Choose where you live"), *Response.Country.choices],
        help_text="So that we show support numbers for your country.",
        error_messages={
            "required": "Please choose where you live, so that we show the right support numbers."
        },
    )


class PartnerConsentForm(ConsentForm):
    share_intimacy = forms.BooleanField(
        required=False,
        label="The intimacy area may appear in our couple comparison (only if my partner "
        "agrees too).",
    )


class GateForm(forms.Form):
    gate = forms.ChoiceField(
        label="Are you answering somewhere private, where your partner can't see your screen?",
        choices=Response.Gate.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose an answer, or leave and come back later."},
    )


class EmailLinkForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Your email",
        help_text="We send one link, and the email only says that you can come back to it.",
    )
    name = forms.CharField(label="Your first name (optional)", required=False, max_length=120)

    def clean_name(self):
        return single_line(self.cleaned_data["name"])


class SafeContactForm(forms.Form):
    choice = forms.ChoiceField(
        label="How can we safely reach you?",
        choices=list(SAFE_CONTACT_CHOICES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one of the options."},
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    times = forms.CharField(label="Safe times to call", required=False, max_length=120)
    email = forms.EmailField(
        label="Safe email address",
        required=False,
        help_text="Leave empty to use the address you gave us, if you gave one.",
    )

    def __init__(self, *args, has_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_email = has_email

    def clean(self):
        data = super().clean()
        if data.get("choice") == "phone" and not data.get("phone", "").strip():
            self.add_error("phone", "Please give a phone number, or choose another way.")
        if data.get("choice") == "email" and not (data.get("email") or self.has_email):
            self.add_error("email", "Please give an email address, or choose another way.")
        return data


class InviteForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label="Your partner's email")
    share_intimacy = forms.BooleanField(
        required=False,
        label="The intimacy area may appear in our couple comparison (only if my partner "
        "agrees too).",
    )


class CoachInviteForm(forms.Form):
    email = forms.EmailField(label="Partner's email")
    share_intimacy = forms.BooleanField(
        required=False, label="The respondent agreed to include the intimacy area."
    )


class ResolveFlagForm(forms.Form):
    note = forms.CharField(
        label="What was done", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class HelplineForm(forms.ModelForm):
    url = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = HelplineResource
        fields = ["country", "kind", "label", "number", "url", "note", "position", "last_verified"]
        widgets = {"last_verified": forms.DateInput(attrs={"type": "date"})}
