from contextlib import suppress
from zoneinfo import available_timezones

from allauth.account.forms import RequestLoginCodeForm
from django import forms
from django.core.exceptions import ValidationError

from clients.models import Client, Consent, Person, SharedNote, Tag
from coaching.forms import HoneypotMixin, single_line

SORTS = {
    "newest": "-created_at",
    "oldest": "created_at",
    "name": "first_name",
    "stage": "stage",
    "updated": "-updated_at",
}


class ClientFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search name, email or tag")
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage"), *Client.Stage.choices])
    source = forms.ChoiceField(required=False, choices=[("", "Any source"), *Client.Source.choices])
    tag = forms.ModelChoiceField(
        required=False, queryset=Tag.objects.all(), empty_label="Any tag", to_field_name="name"
    )
    review = forms.BooleanField(required=False, label="Due for retention review")
    sort = forms.ChoiceField(
        required=False, choices=[(key, key.title()) for key in SORTS], initial="newest"
    )


class BulkStageForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(queryset=Client.objects.all())
    stage = forms.ChoiceField(choices=Client.Stage.choices, label="Move the selected to")


class ClientCreateForm(forms.Form):
    """The fields only: `services.client_create` holds the rules (a couple's partner, an email
    already taken) and the view shows its refusals on the form."""

    kind = forms.ChoiceField(choices=Client.Kind.choices, initial=Client.Kind.PERSON)
    name = forms.CharField(max_length=120, validators=[single_line])
    email = forms.EmailField()
    partner_name = forms.CharField(max_length=120, required=False, validators=[single_line])
    partner_email = forms.EmailField(required=False)
    source = forms.ChoiceField(choices=Client.Source.choices, initial=Client.Source.MANUAL)


class ClientDetailsForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["kind", "source", "time_zone", "discreet"]

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if name and name not in available_timezones():
            raise ValidationError("Use a time zone like Europe/London.")
        return name


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "phone", "pronouns"]

    def clean_name(self):
        return single_line(self.cleaned_data["name"])


PeopleFormSet = forms.inlineformset_factory(
    Client, Person, form=PersonForm, extra=1, max_num=2, can_delete=False
)


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Client.Stage.choices)


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, help_text="Separate tags with commas.")

    def names(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}))
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, empty_label="Both", label="About"
    )
    booking = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Session", choices=[]
    )

    def __init__(self, *args, client, bookings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = client.people.all()
        if client.kind != Client.Kind.COUPLE:
            del self.fields["person"]
        self.fields["booking"].choices = [("", "Not about one session"), *bookings]
        self.booking_labels = dict(bookings)


class NoteEditForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 10}))


class SharedNoteForm(forms.ModelForm):
    class Meta:
        model = SharedNote
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": "Text the client will see"}


class PackageForm(forms.Form):
    name = forms.CharField(max_length=80, initial="Six sessions")
    sessions = forms.IntegerField(min_value=1, max_value=100, initial=6)
    paid = forms.BooleanField(required=False)


class ConsentForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    kind = forms.ChoiceField(choices=Consent.Kind.choices)
    granted = forms.TypedChoiceField(
        choices=[("yes", "Given"), ("no", "Withdrawn")], coerce=lambda value: value == "yes"
    )
    method = forms.CharField(max_length=120, help_text="How: by email, in session, form …")

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = client.people.all()


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this removes this client's personal data for good."
    )


class SignInForm(HoneypotMixin):
    email = forms.EmailField(label="Your email")


class ClientLoginCodeForm(RequestLoginCodeForm):
    """allauth's "send me a sign-in code", which also works the first time a client asks.

    A client's account is created when they first ask for a code for an email that belongs to a
    Person (sign-up stays closed for everyone else). The answer is the same either way, so the
    form tells strangers nothing. Installed with ACCOUNT_FORMS in settings.
    """

    def clean_email(self):
        from clients.services import person_ensure_user

        email = self.cleaned_data.get("email")
        person = Person.objects.filter(email__iexact=email).first() if email else None
        if person is not None:
            # A staff email is refused: the coach signs in with a password and second factor.
            with suppress(ValidationError):
                person_ensure_user(person=person)
        return super().clean_email()
