from decimal import Decimal

from django import forms

from bookings.models import SessionType
from coaching.forms import HoneypotMixin, single_line
from payments.models import PackageOffer


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
        help_text="The full amount left, or less for a partial refund.",
    )  # fmt: skip
    # One refund per click: the same key, sent again, gets Stripe's first answer.
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class PackageBuyForm(HoneypotMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(
        label="Your email", help_text="Sign in with it later to book the sessions."
    )
    consent = forms.BooleanField(
        label="I agree to be contacted about this package.",
        error_messages={"required": "Please agree to be contacted, so we can send the receipt."},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_name(self):
        return single_line(self.cleaned_data["name"])


class PackageOfferForm(forms.ModelForm):
    class Meta:
        model = PackageOffer
        fields = ["name", "sessions", "price", "currency", "description", "session_types",
                  "is_active"]  # fmt: skip
        widgets = {"session_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session_types"].queryset = SessionType.objects.paid()
