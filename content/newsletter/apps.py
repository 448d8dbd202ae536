from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "content.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from anymail.signals import tracking

        from clients import hooks as client_hooks
        from coaching import hooks
        from content.newsletter import integrations, webhooks

        hooks.newsletter_signup.register(integrations.on_newsletter_signup)
        hooks.post_published.register(integrations.on_post_published)
        hooks.dashboard_panels.register(integrations.dashboard_panel)
        client_hooks.timeline.register(integrations.timeline)
        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
        tracking.connect(webhooks.handle_tracking, dispatch_uid="newsletter-tracking")
