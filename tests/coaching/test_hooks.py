import pytest
from django.urls import reverse

from clients import hooks as client_hooks
from coaching import hooks as coaching_hooks
from coaching.hooks import Hook, Panel, dashboard_panels, panels


def test_panels_come_in_order_and_empty_ones_are_dropped():
    hook = Hook("test")
    hook.register(lambda: Panel("b.html", order=2))
    hook.register(lambda: None)
    hook.register(lambda: Panel("a.html", order=1))
    assert [panel.template for panel in panels(hook)] == ["a.html", "b.html"]


@pytest.mark.django_db
def test_the_dashboard_shows_the_panels_apps_register(coach_client):
    def greeting(request):
        return Panel("includes/_messages.html", {})

    with dashboard_panels.overridden(greeting):
        response = coach_client.get(reverse("coaching:dashboard"))
    assert response.status_code == 200
    assert "includes/_messages.html" in [t.name for t in response.templates]


def test_a_test_stands_in_for_a_hook_and_the_registered_functions_come_back():
    def registered():
        return Panel("registered.html")

    def stand_in():
        return Panel("stand_in.html")

    hook = Hook("test")
    hook.register(registered)
    with hook.overridden(stand_in):
        assert list(hook) == [stand_in]
    with hook.overridden(*hook, stand_in):
        assert list(hook) == [registered, stand_in]
    with pytest.raises(RuntimeError), hook.overridden():
        assert list(hook) == []
        raise RuntimeError
    assert list(hook) == [registered]


@pytest.mark.parametrize("module", [coaching_hooks, client_hooks], ids=lambda m: m.__name__)
def test_apps_plug_into_another_apps_hooks_from_their_integrations_module(module):
    """`hooks.py` declares; what another app contributes lives in its `integrations.py`."""
    owner = module.__name__.removesuffix(".hooks")
    hooks = [value for value in vars(module).values() if isinstance(value, Hook)]
    contributed = [function.__module__ for hook in hooks for function in hook]
    assert contributed
    for name in contributed:
        assert name.startswith(f"{owner}.") or name.endswith(".integrations"), name
