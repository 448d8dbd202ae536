from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "clients.messaging"
    label = "messaging"
    verbose_name = "Secure messages"

    def ready(self):
        from clients import hooks as client_hooks
        from clients.messaging import integrations
        from coaching import hooks

        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.client_panels.register(integrations.client_panel)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
        hooks.dashboard_panels.register(integrations.dashboard_panel)
