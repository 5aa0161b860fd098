"""The password policy: Django's validators (length, not like the username or name, not common, not all
digits) enforced where users get passwords — ``user_create`` and so ``liuhen createuser`` — in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.accounts.models import User
from liuhen.accounts.passwords import password_check
from liuhen.accounts.services import user_create
from liuhen.core.errors import ValidationFailed
from liuhen.demo.agencies import AGENCIES, DEMO_PASSWORD
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(settings):
    return make_agency("city-a")


def createuser(password: str, username: str = "wangfang") -> None:
    call_command(
        "createuser",
        username,
        agency="city-a",
        roles="officer",
        cert="21000001",
        name="王芳",
        password=password,
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "不能全是数字"),
        ("password", "是常见密码"),
        ("wangfang", "与用户名或姓名过于相似"),
        ("wangfang-1", "与用户名或姓名过于相似"),
        ("k7#Qx!", "至少 10 位"),
    ],
)
def test_given_a_weak_password_when_createuser_runs_then_it_fails_with_one_chinese_line(
    agency, password, reason
):
    """GIVEN a numeric, a common, the username's own or a too short password WHEN ``liuhen createuser`` runs
    THEN it fails (non-zero exit) with one line naming the rule in Chinese, and no user or entry is made."""
    with pytest.raises(CommandError) as failure:
        createuser(password)
    message = str(failure.value)
    assert "\n" not in message and message.startswith("password: 密码不符合要求：") and reason in message
    assert not User.objects.filter(username="wangfang").exists()
    assert not LedgerEntry.objects.filter(action="user.created").exists()


def test_given_a_password_breaking_several_rules_when_checked_then_every_rule_is_named_once():
    """GIVEN ``12345678`` (short, common, all digits) WHEN checked THEN one message names all three rules."""
    with pytest.raises(ValidationFailed) as failure:
        password_check("12345678", username="bob")
    [error] = failure.value.errors
    assert (error.field, error.reason) == ("password", "weak")
    assert error.message == "密码不符合要求：至少 10 位；是常见密码，容易被猜中；不能全是数字"


def test_given_a_good_password_when_createuser_runs_then_the_user_is_created_and_can_use_it(agency, capsys):
    """GIVEN a long, uncommon password unlike the username WHEN ``liuhen createuser`` runs THEN the user exists
    and the password is theirs."""
    createuser("Qiu-yue-2024-bamboo")
    assert "created user wangfang" in capsys.readouterr().out
    assert User.objects.get(username="wangfang").check_password("Qiu-yue-2024-bamboo")


def test_given_the_demo_password_when_checked_against_every_demo_login_then_it_passes():
    """GIVEN the public demo password ``liuhen-demo`` WHEN checked for every demo login (username and full
    name) THEN the policy accepts it — the demo hashes it once, but it must stay a valid password."""
    logins = [(f"{a.login}_{suffix}", name) for a in AGENCIES for suffix, name, _roles in a.people]
    logins += [(f"{a.login}_supervisor", f"{a.justice_bureau}监督员") for a in AGENCIES]
    for username, full_name in logins:
        password_check(DEMO_PASSWORD, username=username, full_name=full_name)


def test_given_a_password_like_the_full_name_when_a_user_is_created_then_it_is_refused(agency):
    """GIVEN a password that is the user's full name WHEN created through the service THEN it is refused."""
    with pytest.raises(ValidationFailed, match="与用户名或姓名过于相似"):
        user_create(
            username="u1",
            password="Zhang Xiaoming",
            full_name="Zhang Xiaoming",
            agency=agency,
            roles=["archivist"],
        )


def test_given_the_real_console_script_when_the_password_is_weak_then_it_exits_non_zero_with_one_line(
    tmp_path,
):
    """GIVEN ``liuhen`` run as a program WHEN createuser gets ``password`` THEN the exit status is non-zero and
    stderr is one line with the Chinese reason."""
    env = {**os.environ, "LIUHEN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own SQLite database under the data dir
    liuhen = [sys.executable, "-m", "liuhen.cli.main"]
    subprocess.run([*liuhen, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    make = "from tests.factories import make_agency; make_agency('city-a')"
    subprocess.run([*liuhen, "shell", "-c", make], env=env, check=True, capture_output=True)
    args = ["createuser", "bob", "--agency", "city-a", "--roles", "archivist", "--password", "password"]
    result = subprocess.run([*liuhen, *args], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: password: 密码不符合要求：至少 10 位；是常见密码，容易被猜中"
    ]
