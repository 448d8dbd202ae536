from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "clients.checkins"
    label = "checkins"
    verbose_name = "Balance check-ins"

    def ready(self):
        from clients import hooks as client_hooks
        from clients.checkins import integrations

        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.client_panels.register(integrations.client_panel)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
