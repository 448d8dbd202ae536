from clients.forms import ExplicitConsentMixin


class IntakeLikeForm(ExplicitConsentMixin):
    pass


def test_explicit_consent_is_unticked_by_default_and_required():
    form = IntakeLikeForm(data={})
    assert not form.is_valid()
    assert "explicit consent" in form.errors["explicit_consent"][0]
    assert "checked" not in str(IntakeLikeForm()["explicit_consent"])
    assert IntakeLikeForm(data={"explicit_consent": "on"}).is_valid()
