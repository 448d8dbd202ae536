from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self):
        from clients import hooks as client_hooks
        from clients import integrations, timeline
        from coaching import hooks

        hooks.access_denied.register(integrations.audit_coach_area_refusal)
        hooks.dashboard_panels.register(integrations.search_panel)
        hooks.dashboard_panels.register(integrations.new_leads_panel)
        hooks.dashboard_panels.register(integrations.conversion_panel)
        client_hooks.timeline.register(timeline.note_entries)
        client_hooks.timeline.register(timeline.stage_entries)
        client_hooks.timeline.register(timeline.email_entries)
