from django import forms

from clients.journal.services import MAX_LENGTH


class EntryForm(forms.Form):
    body = forms.CharField(
        label="Your entry",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write something first."},
    )
    share = forms.BooleanField(
        label="Share this entry with my coach",
        required=False,
        help_text="Your partner never sees your journal. Your coach reads only what you share.",
    )
