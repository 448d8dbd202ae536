from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "content.blog"
    label = "blog"
    verbose_name = "Blog"

    def ready(self):
        from clients import hooks as client_hooks
        from coaching import hooks
        from content.blog import integrations

        hooks.related_posts.register(integrations.related_posts)
        hooks.dashboard_panels.register(integrations.dashboard_panel)
        client_hooks.timeline.register(integrations.timeline)
        client_hooks.exporters.register(integrations.exporter)
        client_hooks.erasers.register(integrations.eraser)
