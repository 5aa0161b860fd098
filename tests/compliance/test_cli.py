"""``liuhen rules …`` and ``liuhen compliance …``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.compliance.models import StoredFinding
from liuhen.rules.profile import PROFILES_DIR

BROKEN = """id = "dalian-cg"
name_zh = "测试"

[[rules]]
id = "a"
kind = "required_av"
severity = "fatal"
citation = "dalian-cg11"
quote = "q"
title_zh = "t"
title_en = "t"
params = { activity = "juggling" }
"""


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_given_a_broken_profile_when_validating_then_it_fails_with_one_located_line_per_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("rules", "validate", str(path), stdout=StringIO(), stderr=err)
    assert failed.value.returncode != 0
    lines = err.getvalue().splitlines()
    assert "rules[0].severity: severity must be 'error' or 'warning'" in lines
    assert any(line.startswith("rules[0].citation: ") for line in lines)
    assert "rules[0].params.activity: unknown A/V activity 'juggling'" in lines


def test_given_a_shipped_profile_when_validating_then_ok():
    out, err = _run("rules", "validate", str(PROFILES_DIR / "longjiang-cg.toml"))
    assert out.strip().endswith(": OK") and err == ""


def test_given_the_profiles_when_listing_and_showing_then_each_agency_and_its_citations_appear():
    out, _ = _run("rules", "list")
    assert [line.split("\t")[0] for line in out.splitlines()] == [
        "dalian-cg",
        "gaochang-sthj",
        "longjiang-cg",
        "xinglongtai-mz",
        "xinle-fg",
    ]
    shown, _ = _run("rules", "show", "xinle-fg")
    assert shown.startswith("# 新乐市发展和改革局") and "xinle-fg§22" in shown


def test_given_an_unknown_profile_when_showing_then_a_command_error():
    with pytest.raises(CommandError, match="no profile"):
        _run("rules", "show", "nowhere-xx")


@pytest.mark.django_db
def test_given_a_case_when_refreshing_and_showing_from_the_console_then_findings_are_listed(dalian):
    case = dalian.case()
    StoredFinding.objects.filter(case=case).delete()
    out, _ = _run("compliance", "refresh", "--agency", dalian.agency.code)
    assert out.strip() == "refreshed 1 case(s)" and StoredFinding.objects.filter(case=case).exists()
    shown, _ = _run("compliance", "show", case.case_no, "--as", dalian.officer.username)
    assert "待完成" in shown and "[dalian-cg§6] initiation-approval-form" in shown
    with pytest.raises(CommandError):
        _run("compliance", "refresh", "--agency", "no-such-agency")
