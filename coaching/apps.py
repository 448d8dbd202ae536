from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Practice"

    def ready(self):
        import coaching.checks  # noqa: F401  (registers the configuration checks)
        from coaching import delivery, hooks

        hooks.dashboard_panels.register(delivery.dashboard_panel)
