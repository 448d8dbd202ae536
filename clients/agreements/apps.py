from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "clients.agreements"
    label = "agreements"
    verbose_name = "Coaching agreement"

    def ready(self):
        from clients import hooks as client_hooks
        from clients.agreements import integrations

        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.client_panels.register(integrations.client_panel)
        client_hooks.timeline.register(integrations.timeline)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
