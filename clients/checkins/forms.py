from django import forms

from clients.checkins.models import Schedule


class ScheduleForm(forms.Form):
    rhythm = forms.ChoiceField(label="Rhythm", choices=Schedule.Rhythm.choices)
    active = forms.BooleanField(
        label="Check-ins on",
        required=False,
        help_text="Each person gets a discreet reminder at this rhythm.",
    )
