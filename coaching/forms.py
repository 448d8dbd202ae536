from django import forms
from django.core.exceptions import ValidationError

from coaching.models import SiteSettings


class HoneypotMixin(forms.Form):
    """A field people never see and bots fill in; a filled one fails validation quietly."""

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError("Please leave this field empty.")
        return ""


def single_line(value: str) -> str:
    """Refuse control characters in text that may reach an email header (names, subjects)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValidationError("Please use a single line without special characters.")
    return value.strip()


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = [
            "site_name",
            "tagline",
            "coach_name",
            "coach_first_name",
            "coach_email",
            "coach_photo",
            "coach_bio",
            "brand_colour",
            "postal_address",
        ]
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_postal_address(self):
        """Lines as typed, without the blank ones or the browser's carriage returns (the
        address is printed in every campaign's plain text too)."""
        lines = (single_line(line) for line in self.cleaned_data["postal_address"].splitlines())
        return "\n".join(line for line in lines if line)
