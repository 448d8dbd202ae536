from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "clients.intake"
    label = "intake"
    verbose_name = "Intake assessment"

    def ready(self):
        from clients import hooks as client_hooks
        from clients.intake import integrations
        from coaching import hooks

        client_hooks.timeline.register(integrations.timeline)
        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
        hooks.dashboard_panels.register(integrations.dashboard_panel)
