from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self):
        from bookings import integrations
        from clients import hooks as client_hooks
        from coaching import hooks

        client_hooks.timeline.register(integrations.timeline)
        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.client_panels.register(integrations.client_panel)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
        client_hooks.note_bookings.register(integrations.note_bookings)
        client_hooks.sessions_attended.register(integrations.sessions_attended)
        hooks.dashboard_panels.register(integrations.dashboard_panel)
        hooks.free_calls_ended.register(integrations.free_calls_ended)
        hooks.paid_sessions_booked.register(integrations.paid_sessions_booked)
