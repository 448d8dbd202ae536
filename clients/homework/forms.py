from django import forms

from clients.homework.models import Exercise
from clients.homework.services import MAX_LENGTH
from clients.models import Client
from coaching.forms import single_line


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["title", "practice", "instructions", "questions", "archived"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 12}),
            "questions": forms.Textarea(attrs={"rows": 5}),
        }

    def clean_title(self):
        return single_line(self.cleaned_data["title"])


class AssignmentForm(forms.Form):
    """The fields only: `services.assignment_create` holds the rules (a due date not past, the
    person part of the client, the exercise not archived)."""

    exercise = forms.ModelChoiceField(queryset=Exercise.objects.active())
    person = forms.ChoiceField(label="For", required=False)  # empty: everyone in the client
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in client.people.all()}
        both = [("", "Both partners")] if client.kind == Client.Kind.COUPLE else []
        self.fields["person"].choices = both + [(pk, p.name) for pk, p in self.people.items()]

    def clean_person(self):
        return self.people.get(self.cleaned_data["person"])


class AnswerForm(forms.Form):
    """The answer and, in a couple, whether the partner may read it (a single person has no
    partner: the field is removed)."""

    body = forms.CharField(
        label="Your answer",
        required=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    share = forms.BooleanField(
        label="Share with my partner",
        required=False,
        help_text="Your coach reads your answer once you send it. Your partner reads it only if "
        "you share it, and you can stop sharing at any time.",
    )

    def __init__(self, *args, couple: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not couple:
            del self.fields["share"]
