import pytest
from django.urls import reverse

from coaching.hooks import Hook, Panel, dashboard_panels, panels


def test_panels_come_in_order_and_empty_ones_are_dropped():
    hook = Hook("test")
    hook.register(lambda: Panel("b.html", order=2))
    hook.register(lambda: None)
    hook.register(lambda: Panel("a.html", order=1))
    assert [panel.template for panel in panels(hook)] == ["a.html", "b.html"]


@pytest.mark.django_db
def test_the_dashboard_shows_the_panels_apps_register(coach_client, monkeypatch):
    def greeting(request):
        return Panel("includes/_messages.html", {})

    monkeypatch.setattr(dashboard_panels, "_functions", [greeting])
    response = coach_client.get(reverse("coaching:dashboard"))
    assert response.status_code == 200
    assert "includes/_messages.html" in [t.name for t in response.templates]
