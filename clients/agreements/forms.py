from django import forms

from clients.agreements.services import MAX_LENGTH


class SignForm(forms.Form):
    """The fields only: `services.agreement_sign` holds the rules (the version still current,
    the name reasonably the person's)."""

    version = forms.IntegerField(widget=forms.HiddenInput)  # the version the page showed
    full_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        strip=False,  # the record keeps exactly what was typed
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Type your full name to sign."},
    )
    agree = forms.BooleanField(
        label="I have read this agreement and I agree to it",
        error_messages={"required": "Tick the box to say that you agree."},
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label="The agreement (Markdown)",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Publishing makes a new version: everyone signs it again before their next "
        "paid session. Past versions and their signatures stay as they were.",
    )
