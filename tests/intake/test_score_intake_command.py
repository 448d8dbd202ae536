"""`manage.py score_intake` prints what the engine computes, as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .answers import COUPLE_A, COUPLE_B, PERSONA_2, PERSONA_4


def _run(tmp_path, answers, partner=None, *flags):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    args = [str(path), *flags]
    if partner is not None:
        other = tmp_path / "partner.json"
        other.write_text(json.dumps(partner))
        args += ["--partner", str(other)]
    out = StringIO()
    call_command("score_intake", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_worked_example_of_a_partner_controlling_money(tmp_path):
    output = _run(tmp_path, PERSONA_2)
    finances = output["result"]["domains"][1]
    assert (finances["balance"], finances["direction"]) == (29, -92)
    assert output["result"]["overall"] == 79
    assert output["safety"] == {"tier": "NONE", "triggers": []}


def test_it_prints_the_safety_tier_apart_from_the_result(tmp_path):
    output = _run(tmp_path, PERSONA_4)
    assert output["safety"] == {"tier": "RED", "triggers": ["SAF2"]}
    assert "SAF2" not in json.dumps(output["result"])


def test_with_a_partner_it_prints_the_couple_comparison(tmp_path):
    output = _run(tmp_path, COUPLE_A, COUPLE_B, "--include-sexual")
    shared = output["comparison"]["shared"]
    assert shared["agreement"]["percent"] == 76
    assert [point["item"] for point in shared["talking_points"]] == ["EMO2", "GEN1", "FIN5"]


def test_a_bad_answer_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="EMO1"):
        _run(tmp_path, {"EMO1": 7})


@pytest.mark.django_db
def test_rescore_intakes_adds_rows_only_where_needed(make_response):
    from io import StringIO

    from clients.intake.models import Result

    response = make_response(PERSONA_2)
    out = StringIO()
    call_command("rescore_intakes", stdout=out)
    assert "Re-scored 0" in out.getvalue()
    Result.objects.filter(response=response).update(scheme=_old_scheme(response))
    call_command("rescore_intakes", stdout=out)
    call_command("rescore_intakes", stdout=out)
    assert response.results.count() == 2
    call_command("rescore_intakes", "--all", stdout=out)
    assert response.results.count() == 3


def _old_scheme(response):
    from clients.intake.models import ScoringScheme

    return ScoringScheme.objects.create(instrument=response.instrument, version="0.9.0")
