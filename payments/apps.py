from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from clients import hooks as client_hooks
        from payments import integrations

        client_hooks.timeline.register(integrations.timeline)
        client_hooks.exporters.register(integrations.export)
        client_hooks.erasers.register(integrations.erase)
