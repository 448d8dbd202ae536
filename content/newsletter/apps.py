from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "content.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
