"""The `liuhen` command line: contract commands and their failure modes (non-zero exit, one-line reason)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_given_cases_when_listing_showing_and_exporting_as_an_officer_then_the_case_appears_in_each(capsys):
    """GIVEN an officer's case WHEN the officer lists, shows and exports it at the console (--as) THEN it
    appears in each, with personal data in full (officers are cleared) and the read logged."""
    officer = make_user(make_agency(), ["officer", "handler"], name="张伟")
    case = make_case(officer, cause="占道经营")
    make_document(case, officer)
    call_command("case", "list", "--as", officer.username)
    assert case.case_no in capsys.readouterr().out
    call_command("case", "show", case.case_no, "--as", officer.username)
    shown = capsys.readouterr().out
    assert "全过程时间轴" in shown and "询问(调查)笔录" in shown
    before = LedgerEntry.objects.count()
    call_command("case", "export", case.case_no, "--json", "--as", officer.username)
    exported = json.loads(capsys.readouterr().out)
    assert exported["case"]["case_no"] == case.case_no
    assert exported["documents"][0]["doc_type"] == "inquiry_record"
    assert exported["parties"][0]["id_number"] == "210203199001011234"
    logged = LedgerEntry.objects.filter(index__gte=before, actor=officer, action__endswith=".exported")
    assert {e.object_type for e in logged} == {"party", "document"}


def test_given_a_role_without_personal_clearance_when_exporting_at_the_console_then_ids_are_masked(capsys):
    """GIVEN the agency's administrator (no personal.view) WHEN exporting a case at the console THEN the
    party's ID number and the interviewee's ID number are masked, exactly as through the API."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    admin = make_user(agency, ["admin"])
    case = make_case(officer)
    make_document(case, officer)
    call_command("case", "export", case.case_no, "--json", "--as", admin.username)
    out = capsys.readouterr().out
    assert "210203199001011234" not in out
    assert json.loads(out)["parties"][0]["id_number"] == "210***********1234"


def test_given_an_unknown_case_number_or_no_user_when_showing_then_a_command_error_says_so():
    officer = make_user(make_agency(), ["officer"])
    with pytest.raises(CommandError, match="no case numbered"):
        call_command("case", "show", "无此案号", "--as", officer.username)
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("case", "show", "无此案号", "--as", "")
    with pytest.raises(CommandError, match="no active user"):
        call_command("case", "show", "无此案号", "--as", "nobody")


def test_given_another_agencys_case_when_shown_at_the_console_then_it_is_not_found():
    """GIVEN a case of agency A WHEN an officer of agency B asks for it at the console THEN not found:
    the console is scoped like the web."""
    case = make_case(make_user(make_agency(), ["officer", "handler"]))
    stranger = make_user(make_agency(), ["officer"])
    with pytest.raises(CommandError, match="no case numbered"):
        call_command("case", "show", case.case_no, "--as", stranger.username)


def test_given_createuser_with_an_unknown_role_when_run_then_it_fails_with_the_roles_listed():
    make_agency("city-a")
    with pytest.raises(CommandError, match="未知角色"):
        call_command("createuser", "bob", agency="city-a", roles="wizard", password="long-password")


def test_given_the_real_console_script_when_a_case_is_missing_then_exit_status_is_non_zero(tmp_path):
    env = {**os.environ, "LIUHEN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own SQLite database under the data dir
    liuhen = os.path.join(os.path.dirname(sys.executable), "liuhen")
    subprocess.run([liuhen, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [liuhen, "case", "show", "X"], env={**env, "LIUHEN_USER": ""}, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: say which user you act as")


def test_given_a_database_never_migrated_when_verify_runs_then_one_line_says_to_migrate(tmp_path):
    """GIVEN a fresh data directory WHEN `liuhen verify` runs before `liuhen migrate` THEN it exits
    non-zero with one line naming the cause, not a traceback."""
    env = {**os.environ, "LIUHEN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    liuhen = os.path.join(os.path.dirname(sys.executable), "liuhen")
    result = subprocess.run([liuhen, "verify"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "liuhen: database error: no such table: ledger_ledgerentry (run 'liuhen migrate' first)"
    ]
