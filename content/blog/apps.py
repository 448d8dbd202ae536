from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "content.blog"
    label = "blog"
    verbose_name = "Blog"

    def ready(self):
        from clients import hooks as client_hooks
        from coaching.hooks import dashboard_panels, related_posts
        from content.blog import hooks

        related_posts.register(hooks.related_posts)
        dashboard_panels.register(hooks.dashboard_panel)
        client_hooks.timeline.register(hooks.timeline)
        client_hooks.exporters.register(hooks.exporter)
        client_hooks.erasers.register(hooks.eraser)
