import pytest
import time_machine

from coaching.tokens import TokenExpired, TokenInvalid, make_token, read_token


def test_a_token_reads_back_its_value():
    assert read_token("unsubscribe", make_token("unsubscribe", {"id": 7})) == {"id": 7}


def test_a_token_for_one_purpose_is_refused_for_another():
    with pytest.raises(TokenInvalid):
        read_token("manage-booking", make_token("unsubscribe", 7))


@pytest.mark.parametrize("mangle", [lambda t: t[:-2], lambda t: t + "x", lambda t: "x" + t[1:]])
def test_a_tampered_token_is_refused(mangle):
    with pytest.raises(TokenInvalid):
        read_token("unsubscribe", mangle(make_token("unsubscribe", 7)))


def test_an_old_token_is_expired():
    with time_machine.travel("2026-01-01 00:00Z"):
        token = make_token("doi", 7)
    with time_machine.travel("2026-01-09 00:00Z"), pytest.raises(TokenExpired):
        read_token("doi", token, max_age=7 * 24 * 3600)


def test_tokens_survive_a_secret_key_rotation(settings):
    token = make_token("unsubscribe", 7)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "z" * 40
    assert read_token("unsubscribe", token) == 7
