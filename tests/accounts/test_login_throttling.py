"""Login throttling: per-account and per-address lockout (django-axes), its Chinese 429 page, its ledger
entries, unlocking from the command line, and that a locked-out flood hashes no password."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher, get_hasher
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import RequestFactory

from liuhen.accounts.lockout import client_address
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-1"  # what tests.factories.make_user sets
OFFICE = "10.20.30.40"


class CountingHasher(MD5PasswordHasher):
    """The suite's fast MD5 hasher, counting every password it hashes (checking one hashes it too)."""

    calls = 0

    def encode(self, password, salt):
        self.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def officer(settings):
    return make_user(
        make_agency(name="大连高新区城市管理行政执法局"), ["officer", "handler"], username="zhangwei"
    )


def login(client, username, password, address=OFFICE, **headers):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def entries(action):
    return [json.loads(bytes(e.body)) for e in LedgerEntry.objects.filter(action=action).order_by("index")]


def cool_off_passes(settings):
    """Move every recorded failure back past the cool-off, as if that much time had gone by."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )


def test_given_40_wrong_passwords_when_the_right_one_follows_then_it_is_refused_and_the_lockout_is_in_the_ledger(
    client, officer, settings
):
    """GIVEN 40 wrong passwords for one account WHEN the right password follows THEN it is refused with the
    lockout page, nobody is logged in, and exactly one ``login.locked_out`` entry names the account, its
    agency, the address and the cool-off."""
    for _ in range(40):
        assert not logged_in(login(client, "zhangwei", "wrong-password"))
    response = login(client, "zhangwei", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    [entry] = entries("login.locked_out")
    assert entry["agency"] == officer.agency.code
    assert entry["objects"] == {"user": officer.pk}
    assert entry["details"] == {
        "username": "zhangwei",
        "address": OFFICE,
        "locked": ["account"],
        "cool_off_seconds": int(settings.AXES_COOLOFF_TIME.total_seconds()),
    }


def test_given_a_locked_account_when_the_cool_off_has_passed_then_the_right_password_logs_in(
    client, officer, settings
):
    """GIVEN an account locked by five failures WHEN the cool-off has passed THEN the right password logs in."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangwei", "wrong-password")
    assert login(client, "zhangwei", PASSWORD).status_code == 429
    cool_off_passes(settings)
    assert logged_in(login(client, "zhangwei", PASSWORD))


def test_given_a_locked_account_when_its_owner_tries_from_another_address_then_it_is_still_locked(
    client, officer, settings
):
    """GIVEN an account locked from one address WHEN the right password comes from another THEN it is refused:
    the lock is on the account, not only on the address that guessed."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangwei", "wrong-password", address="203.0.113.9")
    response = login(client, "zhangwei", PASSWORD, address=OFFICE)
    assert response.status_code == 429 and "zhangwei" in response.content.decode()


def test_given_failures_below_the_limit_when_the_owner_logs_in_then_the_account_counter_starts_again(
    client, officer, settings
):
    """GIVEN one failure short of the limit WHEN the owner logs in THEN the count restarts: as many failures
    again do not lock the account."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "zhangwei", "wrong-password")
    assert logged_in(login(client, "zhangwei", PASSWORD))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "zhangwei", "wrong-password")
    assert logged_in(login(client, "zhangwei", PASSWORD))


def test_given_one_address_guessing_many_usernames_when_it_reaches_the_address_limit_then_it_is_locked(
    client, officer, settings
):
    """GIVEN one address trying many usernames, once each WHEN it stays under the address limit THEN a user
    behind it still logs in; WHEN it reaches the limit THEN even the right password is refused there with
    the address named, while the same account logs in from another address; the entry has no agency."""
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"nobody{n}", "wrong-password")
    assert logged_in(login(client, "zhangwei", PASSWORD))
    client.logout()
    login(client, "nobody-last", "wrong-password")  # the address's failure at the limit

    refused = login(client, "zhangwei", PASSWORD)
    assert refused.status_code == 429 and OFFICE in refused.content.decode()
    assert logged_in(login(client, "zhangwei", PASSWORD, address="198.51.100.7"))
    [entry] = entries("login.locked_out")
    assert entry["agency"] is None and entry["objects"] == {}
    assert entry["details"]["username"] == "nobody-last" and entry["details"]["locked"] == ["address"]


def test_given_a_lockout_when_the_page_is_shown_then_it_is_chinese_429_and_says_for_how_long(
    client, officer, settings
):
    """GIVEN a locked account WHEN the login is tried THEN the answer is a 429 page in Chinese that says the
    account is temporarily locked and for how many minutes — no English, no trace."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangwei", "wrong-password")
    response = login(client, "zhangwei", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
    assert "登录已暂时锁定" in page and "账号 <strong>zhangwei</strong>" in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} 分钟" in page
    assert "Account locked" not in page and "Traceback" not in page and "too many" not in page


def test_given_a_locked_address_when_it_floods_the_login_then_no_password_is_hashed(
    client, officer, settings
):
    """GIVEN an address locked out WHEN it sends 200 more logins (right and wrong passwords, many usernames)
    THEN every one is refused and the password hasher never runs: a flood costs no hashing."""
    settings.PASSWORD_HASHERS = [f"{CountingHasher.__module__}.CountingHasher"]
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong-password")
    hasher = get_hasher("md5")
    assert isinstance(hasher, CountingHasher) and hasher.calls >= settings.AXES_ADDRESS_FAILURE_LIMIT
    before = hasher.calls
    for n in range(200):
        response = login(
            client, "zhangwei" if n % 2 else f"guess{n}", PASSWORD if n % 2 else "wrong-password"
        )
        assert response.status_code == 429
    assert hasher.calls == before
    assert len(entries("login.locked_out")) == 1  # one lockout, one entry: refused attempts add none


def test_given_forged_x_forwarded_for_without_a_proxy_when_the_address_is_locked_then_it_stays_locked(
    client, officer, settings
):
    """GIVEN no trusted proxy (the default) WHEN a locked client forges X-Forwarded-For THEN the header is
    ignored: the connection's address stays locked."""
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert login(client, "zhangwei", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.250").status_code == 429


def test_given_proxy_counts_when_the_client_address_is_worked_out_then_only_trusted_hops_are_believed(
    settings,
):
    """GIVEN X-Forwarded-For with a client-written part WHEN 0, 1 or 2 proxies are trusted THEN the address is
    REMOTE_ADDR, the right-most entry, the second from the right; a short or malformed header gives REMOTE_ADDR."""
    request = RequestFactory().post(
        "/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.2"
    )
    settings.AXES_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
    settings.AXES_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.2"
    settings.AXES_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.5"
    settings.AXES_TRUSTED_PROXY_COUNT = 4
    assert client_address(request) == "127.0.0.1"
    settings.AXES_TRUSTED_PROXY_COUNT = 1
    assert client_address(
        RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="evil")
    ) == ("127.0.0.1")


def test_given_one_trusted_proxy_when_clients_behind_it_fail_then_each_client_address_is_counted(
    client, officer, settings
):
    """GIVEN one trusted proxy (nginx on 127.0.0.1) WHEN one client behind it is locked out THEN another
    client behind the same proxy still logs in: addresses come from the proxy's X-Forwarded-For."""
    settings.AXES_TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong-password", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    proxied = {"address": "127.0.0.1"}
    assert (
        login(client, "zhangwei", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxied).status_code == 429
    )
    assert logged_in(
        login(client, "zhangwei", PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1", **proxied)
    )


def test_given_a_locked_account_when_an_administrator_unlocks_it_then_it_logs_in_and_the_ledger_says_so(
    client, officer, settings, capsys
):
    """GIVEN a locked account WHEN ``liuhen unlock USERNAME`` runs THEN the right password logs in at once and a
    ``login.unlocked`` entry names the account and its agency."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangwei", "wrong-password")
    call_command("unlock", "zhangwei")
    assert "unlocked user zhangwei" in capsys.readouterr().out
    assert logged_in(login(client, "zhangwei", PASSWORD))
    [entry] = entries("login.unlocked")
    assert entry["agency"] == officer.agency.code and entry["objects"] == {"user": officer.pk}
    assert entry["details"]["username"] == "zhangwei" and entry["details"]["failures_cleared"] >= 5


def test_given_a_locked_address_when_an_administrator_unlocks_it_then_logins_from_it_work(
    client, officer, settings
):
    """GIVEN a locked address WHEN ``liuhen unlock --address IP`` runs THEN logins from it work again and a
    ``login.unlocked`` entry names the address."""
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"guess{n}", "wrong-password")
    call_command("unlock", address=OFFICE)
    assert logged_in(login(client, "zhangwei", PASSWORD))
    [entry] = entries("login.unlocked")
    assert entry["details"]["address"] == OFFICE and entry["agency"] is None


@pytest.mark.parametrize(
    ("args", "options", "reason"),
    [
        (["zhangwei"], {}, "没有登录失败记录"),
        ([], {"address": "not-an-ip"}, "不是 IP 地址"),
        ([], {}, "give either USERNAME or --address IP"),
        (["zhangwei"], {"address": OFFICE}, "give either USERNAME or --address IP"),
    ],
)
def test_given_nothing_to_unlock_or_a_bad_argument_when_unlocking_then_it_fails_with_one_line(
    officer, args, options, reason
):
    """GIVEN no lockout, a malformed address, or neither/both arguments WHEN ``liuhen unlock`` runs THEN it
    fails (non-zero exit) with a one-line reason and writes no entry."""
    with pytest.raises(CommandError, match=reason) as failure:
        call_command("unlock", *args, **options)
    assert "\n" not in str(failure.value)
    assert entries("login.unlocked") == []
