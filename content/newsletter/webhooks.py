"""Bounces and complaints from the email provider, through django-anymail's webhooks.

Hard bounce: suppressed at once. Soft bounce: suppressed after 3 in a row (a delivery resets
the count). Complaint: suppressed at once, and the campaign's complaint rate is checked.
"""

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from content.newsletter.campaigns import campaign_check_complaints
from content.newsletter.models import Delivery, Subscriber, Suppression
from content.newsletter.services import subscriber_leave

VIEWS = {
    "postmark": "anymail.webhooks.postmark.PostmarkTrackingWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunTrackingWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridTrackingWebhookView",
    "brevo": "anymail.webhooks.brevo.BrevoTrackingWebhookView",
}  # Not Amazon SES: anymail's view needs boto3 and does not verify SNS signatures.
SOFT_BOUNCES_TO_SUPPRESS = 3
# Raw provider values that mean "temporary": Postmark's Type, SES's bounceType.
SOFT_MARKERS = {"SoftBounce", "Transient", "DnsError", "temporary"}


# Every provider's webhook is checked with the basic-auth secret; Mailgun's also with its
# HMAC signing key. Anymail only warns when a secret is missing: here the endpoint stays closed.
REQUIRED_SETTINGS = {"mailgun": ["WEBHOOK_SECRET", "MAILGUN_WEBHOOK_SIGNING_KEY"]}


def _configured(esp: str) -> bool:
    anymail = getattr(settings, "ANYMAIL", {}) or {}
    return all(anymail.get(name) for name in REQUIRED_SETTINGS.get(esp, ["WEBHOOK_SECRET"]))


def webhook_view(esp: str):
    """The anymail tracking view of the configured provider (404 for any other, or unsecured)."""
    if not settings.NEWSLETTER_ESP or esp != settings.NEWSLETTER_ESP or esp not in VIEWS:
        raise Http404
    if not _configured(esp):
        raise Http404
    return import_string(VIEWS[esp]).as_view()


def classify(event) -> str:
    """'hard', 'soft', 'complaint', 'delivered' or '' for an anymail tracking event."""
    if event.event_type == "complained":
        return "complaint"
    if event.event_type == "delivered":
        return "delivered"
    if event.event_type != "bounced":
        return ""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    values = {str(raw.get("Type", "")), str(raw.get("severity", ""))}
    values.add(str(raw.get("bounce", {}).get("bounceType", "")))
    return "soft" if values & SOFT_MARKERS else "hard"


def handle_tracking(sender, event, esp_name, **kwargs) -> None:
    """Receiver of anymail's `tracking` signal."""
    kind = classify(event)
    subscriber = Subscriber.objects.filter(email__iexact=event.recipient or "").first()
    if not kind or subscriber is None:
        return
    delivery_id = str((event.metadata or {}).get("delivery", ""))
    subscriber_record_feedback(
        subscriber=subscriber,
        kind=kind,
        delivery_id=int(delivery_id) if delivery_id.isdigit() else 0,
    )


def _delivery(subscriber: Subscriber, delivery_id: int) -> Delivery | None:
    """The delivery the report is about: named by the provider's metadata, else the latest sent."""
    sent = subscriber.deliveries.filter(state=Delivery.State.SENT).select_related("campaign")
    named = sent.filter(pk=delivery_id).first() if delivery_id else None
    return named or sent.order_by("-sent_at").first()


def subscriber_record_feedback(*, subscriber: Subscriber, kind: str, delivery_id: int = 0) -> None:
    """Act on one bounce, complaint or delivery report for this address."""
    if kind in ("hard", "soft"):
        delivery = _delivery(subscriber, delivery_id)
        if delivery is not None:
            Delivery.objects.filter(pk=delivery.pk, bounced_at=None).update(
                bounced_at=timezone.now()
            )
    if kind == "delivered":
        Subscriber.objects.filter(pk=subscriber.pk).update(soft_bounces=0)
    elif kind == "hard":
        subscriber_leave(subscriber=subscriber, reason=Suppression.Reason.BOUNCED)
    elif kind == "soft":
        Subscriber.objects.filter(pk=subscriber.pk).update(soft_bounces=F("soft_bounces") + 1)
        subscriber.refresh_from_db()
        if subscriber.soft_bounces >= SOFT_BOUNCES_TO_SUPPRESS:
            subscriber_leave(subscriber=subscriber, reason=Suppression.Reason.BOUNCED)
    elif kind == "complaint":
        subscriber_leave(subscriber=subscriber, reason=Suppression.Reason.COMPLAINED)
        _record_complaint(_delivery(subscriber, delivery_id))


def _record_complaint(delivery: Delivery | None) -> None:
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk).update(complained_at=timezone.now())
        campaign_check_complaints(campaign=delivery.campaign)
