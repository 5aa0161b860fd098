"""`liuhen demo` loads five agencies, every role and example cases; running it again changes nothing."""

import pytest

from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Role
from liuhen.cases.models import Case
from liuhen.demo.load import load_demo
from liuhen.ledger.models import LedgerEntry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_given_an_empty_database_when_loading_the_demo_twice_then_the_second_run_changes_nothing():
    logins = load_demo()
    counts = (Agency.objects.count(), User.objects.count(), Case.objects.count(), LedgerEntry.objects.count())
    assert load_demo() == logins
    assert (
        Agency.objects.count(),
        User.objects.count(),
        Case.objects.count(),
        LedgerEntry.objects.count(),
    ) == counts

    profiles = set(Agency.objects.exclude(profile_id="").values_list("profile_id", flat=True))
    assert profiles == {"dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg"}
    for agency in Agency.objects.filter(kind="enforcement"):
        roles = {r for u in agency.users.all() for r in u.roles}
        assert roles >= set(Role) - {Role.SUPERVISOR}, agency.code
        assert 2 <= agency.cases.count() <= 3
        assert len(set(agency.cases.values_list("stage", flat=True))) >= 2
    assert sum("supervisor" in u.roles for u in User.objects.all()) == 5
