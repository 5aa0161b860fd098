"""The `liuhen` command line: contract commands and their failure modes (non-zero exit, one-line reason)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_given_cases_when_listing_showing_and_exporting_then_the_case_appears_in_each(capsys):
    officer = make_user(make_agency(), ["officer", "handler"], name="张伟")
    case = make_case(officer, cause="占道经营")
    make_document(case, officer)
    call_command("case", "list")
    assert case.case_no in capsys.readouterr().out
    call_command("case", "show", case.case_no)
    shown = capsys.readouterr().out
    assert "全过程时间轴" in shown and "询问(调查)笔录" in shown
    call_command("case", "export", case.case_no, "--json")
    exported = json.loads(capsys.readouterr().out)
    assert exported["case"]["case_no"] == case.case_no
    assert exported["documents"][0]["doc_type"] == "inquiry_record"
    assert exported["parties"][0]["id_number"] == "210203199001011234"  # the operator sees personal data


def test_given_an_unknown_case_number_when_showing_then_a_command_error_names_it():
    with pytest.raises(CommandError, match="no case numbered"):
        call_command("case", "show", "无此案号")


def test_given_createuser_with_an_unknown_role_when_run_then_it_fails_with_the_roles_listed():
    make_agency("city-a")
    with pytest.raises(CommandError, match="未知角色"):
        call_command("createuser", "bob", agency="city-a", roles="wizard", password="long-password")


def test_given_the_real_console_script_when_a_case_is_missing_then_exit_status_is_non_zero(tmp_path):
    env = {**os.environ, "LIUHEN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own SQLite database under the data dir
    liuhen = os.path.join(os.path.dirname(sys.executable), "liuhen")
    subprocess.run([liuhen, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    result = subprocess.run([liuhen, "case", "show", "X"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: no case numbered")
