from django.contrib import admin

from payments.models import Checkout, Payment, StripeEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "label", "reason", "status", "booking"]
    list_filter = ["kind", "reason"]
    readonly_fields = [field.name for field in Payment._meta.fields]


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ["created_at", "stripe_id", "state", "amount", "currency", "booking"]
    readonly_fields = [field.name for field in Checkout._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "type", "event_id", "object_id"]
    readonly_fields = ["received_at", "type", "event_id", "object_id"]
