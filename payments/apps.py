from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from bookings import hooks as booking_hooks
        from clients import hooks as client_hooks
        from coaching import hooks
        from payments import hooks as payment_hooks
        from payments import integrations

        hooks.dashboard_panels.register(integrations.dashboard_panel)
        payment_hooks.signatures_missing.register(integrations.agreement_unsigned)
        booking_hooks.booking_cancelled.register(integrations.on_booking_cancelled)
        booking_hooks.booking_panels.register(integrations.booking_panel)
        booking_hooks.index_panels.register(integrations.book_index_panel)
        booking_hooks.package_covers.register(integrations.offer_covers)
        client_hooks.timeline.register(integrations.timeline)
        client_hooks.portal_sections.register(integrations.portal_section)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
