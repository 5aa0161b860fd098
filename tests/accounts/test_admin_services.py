"""The administrator's services (issue #11): people, units and agency settings change only through a
service whose ledger entry carries the row's new state, so `liuhen verify` stays clean after each and
catches a change made around them."""

from __future__ import annotations

import json

import pytest

from liuhen.accounts import services
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.archive.integrity import verify_all
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.ledger.integrity.state import row_states
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user
from tests.ledger.helpers import sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency, other = make_agency(), make_agency()
    return {
        "agency": agency,
        "other": other,
        "admin": make_user(agency, ["admin"]),
        "officer": make_user(agency, ["officer"]),
        "squad": agency.units.get(),
        "foreign_unit": other.units.get(),
        "foreign_admin": make_user(other, ["admin"]),
    }


def last_entry(action: str) -> dict:
    entry = LedgerEntry.objects.filter(action=action).order_by("-index").first()
    assert entry is not None, f"no {action} entry"
    return json.loads(bytes(entry.body))


def clean() -> list[str]:
    return [str(p) for p in verify_all(files=False)]


def test_given_an_admin_when_adding_a_person_with_two_roles_then_created_logged_and_verify_clean(world):
    """GIVEN an administrator WHEN they add an officer+handler with a 执法证号 in a unit THEN the person
    exists in their agency, the entry `user.created` names the administrator and carries the state, and
    verify is clean."""
    person = services.user_create(
        created_by=world["admin"],
        agency=world["agency"],
        username="new_officer",
        password="Lh-temp-2026-pass",
        full_name="新同事",
        roles=["officer", "handler"],
        certificate_no="21001234",
        unit=world["squad"],
    )
    body = last_entry("user.created")
    assert body["actor"]["id"] == world["admin"].pk
    assert body["details"]["state"] == row_states(user=person.pk)
    assert "Lh-temp-2026-pass" not in json.dumps(body, ensure_ascii=False)
    assert clean() == []


def test_given_another_agency_or_a_non_admin_when_adding_a_person_then_refused(world):
    """GIVEN a foreign administrator and an officer WHEN they add a person to the agency THEN refused."""
    for by in (world["foreign_admin"], world["officer"]):
        with pytest.raises(PermissionDenied):
            services.user_create(
                created_by=by,
                agency=world["agency"],
                username=f"x{by.pk}",
                password="Lh-temp-2026-pass",
                roles=["archivist"],
            )
    assert not User.objects.filter(username__startswith="x").exists()


def test_given_a_person_when_name_unit_and_certificate_change_then_one_entry_naming_what_changed(world):
    """GIVEN an officer WHEN the administrator changes their unit and 执法证号 THEN `user.updated` names
    the columns changed and carries the new state; verify is clean; an unchanged save writes nothing."""
    unit = services.org_unit_create(by=world["admin"], agency=world["agency"], name="二中队", kind="squad")
    officer = world["officer"]
    services.user_update(
        by=world["admin"], user=officer, full_name=officer.full_name, unit=unit, certificate_no="21007777"
    )
    body = last_entry("user.updated")
    assert body["details"]["changed"] == ["certificate_no", "unit"]
    assert body["details"]["state"] == row_states(user=officer.pk)
    assert clean() == []
    before = LedgerEntry.objects.count()
    services.user_update(
        by=world["admin"], user=officer, full_name=officer.full_name, unit=unit, certificate_no="21007777"
    )
    assert LedgerEntry.objects.count() == before


def test_given_an_officer_when_their_certificate_is_cleared_or_unit_is_foreign_then_refused_at_the_field(
    world,
):
    """GIVEN an officer WHEN the 执法证号 is cleared, or a unit of another agency is given THEN a field
    error (certificate_no / unit) and nothing written."""
    officer = world["officer"]
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as cleared:
        services.user_update(by=world["admin"], user=officer, full_name="x", unit=None, certificate_no="")
    with pytest.raises(ValidationFailed) as foreign:
        services.user_update(
            by=world["admin"], user=officer, full_name="x", unit=world["foreign_unit"], certificate_no="1"
        )
    assert cleared.value.errors[0].field == "certificate_no"
    assert foreign.value.errors[0].field == "unit"
    assert LedgerEntry.objects.count() == before


def test_given_a_person_when_deactivated_and_reactivated_then_logged_with_state_and_no_one_deactivates_themself(
    world,
):
    """GIVEN an officer WHEN deactivated, then reactivated THEN entries `user.deactivated` and
    `user.reactivated` with reason and state, verify clean; the administrator cannot deactivate
    themself (field `active`), nor deactivate twice."""
    officer = world["officer"]
    services.user_active_set(by=world["admin"], user=officer, active=False, reason="离职")
    officer.refresh_from_db()
    assert not officer.is_active
    assert last_entry("user.deactivated")["details"]["reason"] == "离职"
    assert clean() == []
    with pytest.raises(Conflict):
        services.user_active_set(by=world["admin"], user=officer, active=False, reason="再次")
    services.user_active_set(by=world["admin"], user=officer, active=True, reason="返岗")
    assert last_entry("user.reactivated")["details"]["state"] == row_states(user=officer.pk)
    with pytest.raises(ValidationFailed) as own:
        services.user_active_set(by=world["admin"], user=world["admin"], active=False, reason="x")
    assert own.value.errors[0].field == "active"
    assert clean() == []


def test_given_an_admin_when_changing_their_own_roles_then_refused_at_the_roles_field(world):
    """GIVEN the administrator WHEN they try to drop (or change) their own admin role THEN refused,
    with the reason at `roles`, and they stay admin."""
    with pytest.raises(PermissionDenied) as own:
        services.user_roles_set(user=world["admin"], by=world["admin"], roles=["officer"], reason="x")
    assert own.value.errors[0].field == "roles"
    assert User.objects.get(pk=world["admin"].pk).roles == ["admin"]


def test_given_a_forgotten_password_when_reset_then_the_entry_never_holds_it_and_the_policy_applies(world):
    """GIVEN an officer WHEN the administrator sets a weak, then a good temporary password THEN the weak
    one is refused at `password` (Chinese reason); the good one works and `user.password_reset` names
    who reset whose password, and holds neither the password nor its hash."""
    officer = world["officer"]
    with pytest.raises(ValidationFailed) as weak:
        services.user_password_reset(by=world["admin"], user=officer, password="12345678901")
    assert weak.value.errors[0].field == "password" and "数字" in weak.value.errors[0].message
    services.user_password_reset(by=world["admin"], user=officer, password="Lh-reset-2026-pass")
    officer.refresh_from_db()
    assert officer.check_password("Lh-reset-2026-pass")
    text = json.dumps(last_entry("user.password_reset"), ensure_ascii=False)
    assert "Lh-reset-2026-pass" not in text and officer.password not in text
    assert clean() == []


def test_given_units_when_added_and_renamed_then_logged_and_duplicates_refused(world):
    """GIVEN the agency WHEN a unit is added and renamed THEN `unit.created` / `unit.renamed` (old and new
    name) with state, verify clean; a second unit of the same name is refused at `name`; another
    agency's administrator may not rename it."""
    unit = services.org_unit_create(by=world["admin"], agency=world["agency"], name="三中队", kind="squad")
    services.org_unit_rename(by=world["admin"], unit=unit, name="城东中队")
    body = last_entry("unit.renamed")
    assert (body["details"]["from"], body["details"]["to"]) == ("三中队", "城东中队")
    assert body["details"]["state"] == row_states(unit=unit.pk)
    assert clean() == []
    with pytest.raises(ValidationFailed) as taken:
        services.org_unit_create(by=world["admin"], agency=world["agency"], name="城东中队", kind="squad")
    assert taken.value.errors[0].field == "name"
    with pytest.raises(PermissionDenied):
        services.org_unit_rename(by=world["foreign_admin"], unit=unit, name="别处")


def test_given_the_agency_when_its_prefix_changes_then_logged_and_existing_case_numbers_stay(world):
    """GIVEN a case numbered with the old prefix WHEN the administrator changes the prefix THEN the
    entry `agency.updated` records from/to, the old case keeps its number, the next case gets the new
    prefix, and verify is clean."""
    from tests.factories import make_case

    old_case = make_case(make_user(world["agency"], ["officer", "handler"]))
    services.agency_update(
        by=world["admin"],
        agency=world["agency"],
        name=world["agency"].name,
        short_name="短名",
        case_prefix="新前缀罚",
    )
    changes = last_entry("agency.updated")["details"]["changes"]
    assert changes["case_prefix"]["to"] == "新前缀罚" and "short_name" in changes
    old_no = old_case.case_no
    old_case.refresh_from_db()
    assert old_case.case_no == old_no and "新前缀罚" not in old_no
    new_case = make_case(make_user(Agency.objects.get(pk=world["agency"].pk), ["officer", "handler"]))
    assert new_case.case_no.startswith("新前缀罚")
    assert clean() == []


@pytest.mark.parametrize(
    ("table", "assignment", "kind"),
    [("accounts_agency", "case_prefix = '伪'", "agency"), ("accounts_orgunit", "name = '伪中队'", "unit")],
)
def test_given_an_agency_or_unit_changed_in_the_database_when_verified_then_modified(
    world, table, assignment, kind
):
    """GIVEN an agency's prefix or a unit's name changed straight in the database WHEN verified THEN
    `modified: <kind> N` (agencies and units are tracked rows)."""
    pk = world["agency"].pk if kind == "agency" else world["squad"].pk
    sql(f"UPDATE {table} SET {assignment} WHERE id = %s", [pk])  # noqa: S608 (test data)
    assert any(line.startswith(f"modified: {kind} {pk}:") for line in clean())


def test_given_a_unit_inserted_around_the_services_when_verified_then_extra(world):
    """GIVEN a unit created with no service WHEN verified THEN `extra: unit N`."""
    unit = OrgUnit.objects.create(agency=world["agency"], name="影子中队", kind="squad")
    assert any(line.startswith(f"extra: unit {unit.pk}:") for line in clean())


def test_given_agencies_and_units_from_before_they_were_tracked_when_baselined_then_clean(world):
    """GIVEN an agency and a unit made without entries (as before this version) WHEN the upgrade's
    baseline runs (migration accounts.0002) THEN each gets one `state.baseline` entry and verify is
    clean; rows that already had a state get none."""
    from liuhen.ledger.integrity.state import agency_unit_baseline

    agency = Agency.objects.create(code="old", name="旧机关", short_name="旧", case_prefix="旧罚")
    OrgUnit.objects.create(agency=agency, name="旧中队", kind="squad")
    assert len(clean()) == 2
    assert agency_unit_baseline() == 2
    assert clean() == []
