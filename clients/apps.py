from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self):
        from clients import access, hooks, panels, timeline
        from coaching.hooks import access_denied, dashboard_panels

        access_denied.register(access.audit_coach_area_refusal)
        for panel in (panels.search_panel, panels.new_leads_panel, panels.conversion_panel):
            dashboard_panels.register(panel)
        for provider in (timeline.note_entries, timeline.stage_entries, timeline.email_entries):
            hooks.timeline.register(provider)
