from decimal import Decimal

from django import forms


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
        help_text="The full amount left, or less for a partial refund.",
    )  # fmt: skip
    # One refund per click: the same key, sent again, gets Stripe's first answer.
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
