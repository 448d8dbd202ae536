from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Practice"

    def ready(self):
        import coaching.checks  # noqa: F401  (registers the configuration checks)
        from coaching import email_health, hooks

        hooks.dashboard_panels.register(email_health.dashboard_panel)
