"""The counters the services keep equal what a rebuild from the records gives."""

from __future__ import annotations

import pytest

from liuhen.stats.counters import rebuild_all
from liuhen.stats.models import CaseTag, Counter
from tests.stats.world import make_world, realistic_sequence

pytestmark = pytest.mark.django_db


def _counters() -> set[tuple]:
    return set(
        Counter.objects.exclude(n=0).values_list(
            "agency_id", "unit_id", "grain", "start", "dimension", "value", "n", "amount_fen"
        )
    )


def _tags() -> set[tuple]:
    return set(
        CaseTag.objects.values_list(
            "case_id", "agency_id", "unit_id", "day", "month", "dimension", "value", "amount_fen"
        )
    )


def test_incremental_counters_equal_a_rebuild_from_the_records():
    """GIVEN a realistic sequence of service calls (cases opened, moved with gate overrides, combined
    penalties decided, a signature refused, A/V uploaded late and unlinked, an interruption)
    WHEN every counter and tag is rebuilt from the records
    THEN the rebuild finds exactly what the services kept current, figure by figure."""
    realistic_sequence(make_world())
    incremental_counters, incremental_tags = _counters(), _tags()
    dimensions = {row[4] for row in incremental_counters}
    assert {
        "stage",
        "override",
        "refusal",
        "upload_late",
        "unlinked",
        "interruption",
        "penalty",
    } <= dimensions

    rebuild_all()

    assert _tags() == incremental_tags
    assert _counters() == incremental_counters


def test_a_stage_move_moves_the_case_between_counters():
    """GIVEN a case counted under 程序启动
    WHEN it moves to 调查取证
    THEN the month's counters show it under 调查取证 and no longer under 程序启动."""
    from liuhen.cases import services
    from tests.compliance.conftest import office

    o = office("dalian-cg")
    case = o.case()
    stage = dict(Counter.objects.filter(grain="m", dimension="stage").values_list("value", "n"))
    assert stage == {"initiation": 1}
    o.approve_initiation(case)
    services.case_transition(case=case, by=o.officer, to_stage="investigation")
    stage = dict(Counter.objects.filter(grain="m", dimension="stage").exclude(n=0).values_list("value", "n"))
    assert stage == {"investigation": 1}


def test_the_command_finds_a_counter_changed_behind_the_services_back_and_rebuilds_it():
    """GIVEN counters kept by the services, one then changed by hand
    WHEN ``liuhen stats check`` runs, then ``liuhen stats rebuild``, then check again
    THEN the first check fails naming the difference, the rebuild repairs it, the second check passes."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    from tests.compliance.conftest import office

    office("dalian-cg").case()
    out = StringIO()
    call_command("stats", "check", stdout=out)
    assert "match" in out.getvalue()
    Counter.objects.filter(dimension="stage").update(n=7)
    with pytest.raises(CommandError, match="differ"):
        call_command("stats", "check", stdout=out)
    call_command("stats", "rebuild", stdout=out)
    call_command("stats", "check", stdout=out)
    assert set(Counter.objects.filter(dimension="stage", grain="m").values_list("value", "n")) == {
        ("initiation", 1)
    }
