"""`liuhen verify` compares every current row with the state its latest ledger entry recorded
(issue #9 point 7), and cases and parties refuse UPDATEs the services never make (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from liuhen.accounts.models import ApiToken, User
from liuhen.accounts.services import token_issue, user_roles_set
from liuhen.cases import services
from liuhen.cases.models import Case, Party
from liuhen.core import clock
from liuhen.core.append_only import column_guard_remove_statements, remove_statements
from liuhen.core.errors import PermissionDenied
from liuhen.evidence.labels import UploadLabels
from liuhen.evidence.models import Device
from liuhen.evidence.services.assignments import media_assign
from liuhen.evidence.services.devices import device_event, device_register
from liuhen.evidence.services.intake import upload_finalize
from liuhen.evidence.services.interruptions import interruption_record
from liuhen.ledger import services as ledger_services
from liuhen.ledger.integrity import state
from liuhen.ledger.models import LedgerEntry
from tests.archive.archiving import archive_case
from tests.factories import ALL_CASE_ROLES, make_agency, make_case, make_document, make_user
from tests.ledger.helpers import make_media, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    """One agency's worth of every kind of row, each written by its service."""
    agency, other = make_agency(), make_agency()
    officer = make_user(agency, ALL_CASE_ROLES)
    officer2 = make_user(agency, ["officer"])
    archivist = make_user(agency, ["archivist"])
    admin = make_user(agency, ["admin"])
    custodian = make_user(agency, ["device_custodian"])
    case = make_case(officer)
    document = make_document(case, officer)
    w = {
        "agency": agency,
        "other": other,
        "officer": officer,
        "officer2": officer2,
        "archivist": archivist,
        "admin": admin,
        "case": case,
        "party": case.parties.get(),
        "document": document,
    }
    w["signature"] = services.document_sign(
        document=document, recorded_by=officer, signer_role="party", signer_name="王某某", method="electronic"
    )
    w["refusal"] = services.document_refusal_record(
        document=document,
        recorded_by=officer,
        refuser_role="party",
        refuser_name="王某某",
        reason="拒签",
        second_officer=officer2,
    )
    w["amendment"] = services.document_amend(
        document=document,
        amended_by=officer,
        changes={"place": "黄浦路88号门前"},
        reason="地点笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    w["approval"] = services.approval_record(
        case=case, actor=officer, kind="review", decision="approve", opinion="同意"
    )
    w["media"] = make_media(case, officer, tmp_path)
    w["footage"] = _unassigned_footage(officer, tmp_path)
    w["intake"] = w["footage"].intake
    w["assignment"] = media_assign(media=w["footage"], case=case, by=officer, reason="同一次检查")
    now = clock.now()
    w["interruption"] = interruption_record(
        case=case,
        recorded_by=officer,
        reason="battery",
        interrupted_at=now - timedelta(minutes=30),
        resumed_at=now - timedelta(minutes=20),
        explanation_media=w["media"],
    )
    w["device"] = device_register(by=custodian, number="DSJ-0001", kind="body_camera")
    w["device_event"] = device_event(device=w["device"], by=custodian, kind="handed_out", holder=officer)
    w["transition"] = services.case_transition(case=case, by=officer, to_stage="investigation")
    token_issue(user=officer)
    w["token"] = ApiToken.objects.get(user=officer)
    return w


def _unassigned_footage(user, tmp_path: Path):
    path = tmp_path / "DSJ_0001.bin"
    path.write_bytes(b"footage \x00\x01" * 200)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return upload_finalize(
        upload_id="u1", path=path, sha256=sha256, user=user, labels=UploadLabels(title="整机导入")
    )


def verify_command() -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("verify", "--no-rehash", stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue().splitlines()


def drop_all_triggers(table: str) -> None:
    """What someone with the database does first: every trigger on ``table`` gone."""
    with connection.cursor() as cursor:
        for statement in remove_statements(connection.vendor, table) + column_guard_remove_statements(
            connection.vendor, table
        ):
            cursor.execute(statement)


def latest_index(object_type: str, pk: int) -> int:
    return state.recorded_states().latest[object_type][pk][0]


def modified_line(object_type: str, pk: int) -> str:
    return (
        f"modified: {object_type} {pk}: row differs from the state entry {latest_index(object_type, pk)} "
        "recorded (changed outside the services)"
    )


# (what, table, SET clause, parameters (lambda world), object type, key in world)
TAMPERINGS = [
    ("case cause", "cases_case", "cause = %s", lambda w: ["伪造案由"], "case", "case"),
    ("case summary", "cases_case", "summary = %s", lambda w: ["改写的案情"], "case", "case"),
    ("case handler", "cases_case", "handler_id = %s", lambda w: [w["officer2"].pk], "case", "case"),
    ("case agency", "cases_case", "agency_id = %s", lambda w: [w["other"].pk], "case", "case"),
    ("case confidential", "cases_case", "confidential = %s", lambda w: [True], "case", "case"),
    ("case stage", "cases_case", "stage = %s", lambda w: ["closed"], "case", "case"),
    ("case archived_at", "cases_case", "archived_at = %s", lambda w: [clock.now()], "case", "case"),
    ("party name", "cases_party", "name = %s", lambda w: ["李某某"], "party", "party"),
    ("party id number", "cases_party", "id_number = %s", lambda w: ["110101199001019999"], "party", "party"),
    ("media title", "cases_mediarecord", "title = %s", lambda w: ["无关录像"], "media", "media"),
    ("media confidential", "cases_mediarecord", "confidential = %s", lambda w: [True], "media", "media"),
    (
        "media capture time",
        "cases_mediarecord",
        "captured_start = %s",
        lambda w: [clock.now()],
        "media",
        "media",
    ),
    ("user roles", "accounts_user", "roles = %s", lambda w: ['["admin", "head"]'], "user", "officer2"),
    ("user is_active", "accounts_user", "is_active = %s", lambda w: [False], "user", "officer2"),
    ("user is_superuser", "accounts_user", "is_superuser = %s", lambda w: [True], "user", "officer2"),
    ("user is_staff", "accounts_user", "is_staff = %s", lambda w: [True], "user", "officer2"),
    ("user agency", "accounts_user", "agency_id = %s", lambda w: [w["other"].pk], "user", "officer2"),
    ("user username", "accounts_user", "username = %s", lambda w: ["someone"], "user", "officer2"),
    ("token hash", "accounts_apitoken", "token_sha256 = %s", lambda w: ["0" * 64], "token", "token"),
    ("token revoked", "accounts_apitoken", "revoked_at = %s", lambda w: [clock.now()], "token", "token"),
    (
        "document confidential",
        "cases_document",
        "confidential = %s",
        lambda w: [True],
        "document",
        "document",
    ),
    ("document stage", "cases_document", "stage = %s", lambda w: ["closed"], "document", "document"),
    ("signature name", "cases_signature", "signer_name = %s", lambda w: ["张某"], "signature", "signature"),
    (
        "signature time",
        "cases_signature",
        "signed_at = %s",
        lambda w: [clock.now()],
        "signature",
        "signature",
    ),
    ("refusal reason", "cases_signaturerefusal", "reason = %s", lambda w: ["改"], "refusal", "refusal"),
    ("amendment reason", "cases_amendment", "reason = %s", lambda w: ["改"], "amendment", "amendment"),
    ("approval opinion", "cases_approvalstep", "opinion = %s", lambda w: ["不同意"], "approval", "approval"),
    (
        "transition reason",
        "cases_stagetransition",
        "reason = %s",
        lambda w: ["改"],
        "transition",
        "transition",
    ),
    (
        "transition override",
        "cases_stagetransition",
        "override = %s",
        lambda w: [True],
        "transition",
        "transition",
    ),
    (
        "assignment reason",
        "cases_mediaassignment",
        "reason = %s",
        lambda w: ["改"],
        "assignment",
        "assignment",
    ),
    ("intake late cause", "evidence_mediaintake", "late_cause = %s", lambda w: ["改"], "intake", "intake"),
    (
        "interruption detail",
        "evidence_interruption",
        "detail = %s",
        lambda w: ["改"],
        "interruption",
        "interruption",
    ),
    ("device holder", "evidence_device", "holder_id = %s", lambda w: [w["officer2"].pk], "device", "device"),
    ("device status", "evidence_device", "status = %s", lambda w: ["available"], "device", "device"),
    (
        "device event note",
        "evidence_deviceevent",
        "note = %s",
        lambda w: ["改"],
        "device_event",
        "device_event",
    ),
]


@pytest.mark.parametrize(
    ("table", "assignment", "params", "object_type", "key"),
    [t[1:] for t in TAMPERINGS],
    ids=[t[0] for t in TAMPERINGS],
)
def test_given_a_row_updated_behind_the_services_when_verified_then_modified_names_it_and_its_entry(
    world, table, assignment, params, object_type, key
):
    """GIVEN every kind of row written by its service, and one column of one row changed in the database
    (triggers dropped first) WHEN `liuhen verify` runs THEN it exits 1 and names that row as `modified`,
    with the index of the entry that last set its state, and nothing else."""
    pk = world[key].pk
    expected = modified_line(object_type, pk)
    drop_all_triggers(table)
    sql(f"UPDATE {table} SET {assignment} WHERE id = %s", [*params(world), pk])  # noqa: S608 (test data)
    code, lines = verify_command()
    assert code == 1
    assert lines == [expected]


def test_given_a_party_added_to_a_case_in_the_database_when_verified_then_the_case_is_modified(world):
    """GIVEN a second party linked to the case straight in the many-to-many table WHEN verified THEN
    `modified: case N` (the parties are part of the case's state)."""
    case, expected = world["case"], modified_line("case", world["case"].pk)
    stranger = services.party_create(created_by=world["officer"], kind="person", name="路人")
    drop_all_triggers("cases_case_parties")
    sql("INSERT INTO cases_case_parties (case_id, party_id) VALUES (%s, %s)", [case.pk, stranger.pk])
    assert verify_command() == (1, [expected])


def test_given_a_supervised_agency_granted_in_the_database_when_verified_then_the_user_is_modified(world):
    """GIVEN a user made supervisor of another agency straight in the many-to-many table WHEN verified
    THEN `modified: user N`."""
    user = world["officer2"]
    expected = modified_line("user", user.pk)
    sql(
        "INSERT INTO accounts_user_supervised_agencies (user_id, agency_id) VALUES (%s, %s)",
        [user.pk, world["other"].pk],
    )
    assert verify_command() == (1, [expected])


def test_given_a_login_when_verified_then_last_login_and_a_rehashed_password_are_not_tampering(world):
    """GIVEN a user's last_login and password hash rewritten (Django does both outside any service: on
    every login, and when a hasher's parameters change) WHEN verified THEN exit 0."""
    user = world["officer2"]
    sql("UPDATE accounts_user SET last_login = %s, password = %s WHERE id = %s", [clock.now(), "x", user.pk])
    assert verify_command() == (0, [])


def test_given_a_device_event_deleted_when_verified_then_missing(world):
    """GIVEN a device event row deleted behind dropped triggers WHEN verified THEN `missing: device_event N`."""
    event = world["device_event"]
    index = latest_index("device_event", event.pk)
    drop_all_triggers("evidence_deviceevent")
    sql("DELETE FROM evidence_deviceevent WHERE id = %s", [event.pk])
    assert verify_command() == (
        1,
        [f"missing: device_event {event.pk}: state recorded by entry {index}, row absent"],
    )


def test_given_rows_inserted_around_the_services_when_verified_then_extra(world):
    """GIVEN a case, a user (as Django's createsuperuser would) and a device inserted with no service
    WHEN verified THEN each is `extra`."""
    row = Case.objects.filter(pk=world["case"].pk).values().get()
    row.update(id=None, case_no="伪〔2026〕1号", seq=999, stage="initiation")
    forged_case = Case.objects.create(**row)
    forged_user = User.objects.create_superuser("root", password="x")
    forged_device = Device.objects.create(
        agency=world["agency"],
        number="DSJ-9",
        kind="body_camera",
        status="available",
        registered_at=clock.now(),
    )
    code, lines = verify_command()
    assert code == 1
    assert sorted(lines) == sorted(
        f"extra: {kind} {pk}: row has no ledger entry that set its state"
        for kind, pk in (("case", forged_case.pk), ("user", forged_user.pk), ("device", forged_device.pk))
    )


def test_given_normal_work_through_the_services_when_verified_then_clean(world):
    """GIVEN a case moved through every stage and archived, a device returned, roles changed, a user
    deactivated and a supervisor given an agency — all through the services WHEN verified THEN exit 0."""
    case, officer = world["case"], world["officer"]
    make_document(case, officer)
    for stage in ("decision", "service_enforcement", "closed"):
        services.case_transition(case=case, by=officer, to_stage=stage)
    archive_case(case)
    device_event(device=world["device"], by=officer, kind="checked", battery_percent=90, free_storage_mb=4096)
    user_roles_set(user=world["officer2"], by=world["admin"], roles=["officer", "handler"], reason="调岗")
    user_roles_set(
        user=world["archivist"], by=world["admin"], roles=["archivist"], is_active=False, reason="离职"
    )
    supervisor = make_user(world["other"], ["supervisor"])
    user_roles_set(
        user=supervisor, by=None, roles=["supervisor"], supervised=[world["agency"]], reason="监督"
    )
    assert verify_command() == (0, [])
    case.refresh_from_db()
    assert case.stage == "archived" and case.archived_at is not None
    entry = LedgerEntry.objects.filter(action="user.roles_changed").order_by("index").first()
    assert entry is not None and entry.actor_id == world["admin"].pk


def test_given_a_role_change_when_made_by_a_non_administrator_or_oneself_then_refused(world):
    """GIVEN an officer, and an administrator acting on their own account WHEN they change roles THEN
    permission denied, and nothing is written."""
    before = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        user_roles_set(user=world["officer2"], by=world["officer"], roles=["head"], reason="x")
    with pytest.raises(PermissionDenied):
        user_roles_set(user=world["admin"], by=world["admin"], roles=["admin", "head"], reason="x")
    assert LedgerEntry.objects.count() == before
    assert User.objects.get(pk=world["officer2"].pk).roles == ["officer"]


def test_given_each_service_entry_then_it_carries_the_state_of_what_it_wrote(world):
    """GIVEN every service used once WHEN reading the entries THEN exactly the entries of STATE_ACTIONS
    carry `details.state`, and each state key names one of the entry's objects."""
    for body, action in LedgerEntry.objects.values_list("body", "action"):
        entry = json.loads(bytes(body))
        states = entry["details"].get("state")
        assert (states is not None) == (action in state.STATE_ACTIONS), action
        assert set(states or ()) <= set(entry["objects"]), action


def test_every_column_of_every_tracked_model_is_in_its_state_or_excluded_on_purpose():
    """GIVEN the tracked models WHEN a column is added to one THEN this fails until the column is listed
    in its state (or excluded with a reason): the state definition never changes silently."""
    from django.apps import apps

    for spec in state.TRACKED.values():
        meta = apps.get_model(spec.model)._meta
        columns = {f.attname for f in meta.concrete_fields} - {meta.pk.attname}
        assert set(spec.columns) | set(spec.excluded) == columns, spec.model
        assert not set(spec.columns) & set(spec.excluded), spec.model
        assert set(spec.many) == {f.name for f in meta.many_to_many}, spec.model


# --- the upgrade path -----------------------------------------------------------------------------


@pytest.fixture
def entries_without_state(monkeypatch):
    """Services write entries as they did before entries carried state."""
    original = ledger_services.entry_body

    def without_state(draft, **kwargs):
        details = {k: v for k, v in draft.details.items() if k != state.STATE_KEY}
        return original(dataclasses.replace(draft, details=details), **kwargs)

    monkeypatch.setattr(ledger_services, "entry_body", without_state)
    return monkeypatch


def test_given_a_database_from_before_state_when_baselined_then_clean_and_tampering_still_caught(
    entries_without_state, tmp_path
):
    """GIVEN rows written when entries carried no state, and one party inserted with no entry at all
    WHEN the baseline (migration cases.0006) runs THEN verify is clean but for that party (`extra`),
    and a case changed afterwards is `modified`, naming its baseline entry."""
    officer = make_user(make_agency(), ALL_CASE_ROLES)
    case = make_case(officer)
    make_document(case, officer)
    services.case_transition(case=case, by=officer, to_stage="investigation")
    token_issue(user=officer)
    stray = Party.objects.create(
        agency=officer.agency, kind="person", name="无记录", created_at=clock.now(), created_by=officer
    )
    entries_without_state.undo()
    assert any(line.startswith("extra: case ") for line in verify_command()[1])

    appended = state.state_baseline()

    assert appended > 0
    assert verify_command() == (1, [f"extra: party {stray.pk}: row has no ledger entry that set its state"])
    baseline = latest_index("case", case.pk)
    assert LedgerEntry.objects.get(index=baseline).action == state.BASELINE_ACTION
    assert state.state_baseline() == 0  # nothing left to baseline: a second run appends nothing
    drop_all_triggers("cases_case")
    sql("UPDATE cases_case SET cause = %s WHERE id = %s", ["伪造案由", case.pk])
    assert f"modified: case {case.pk}: row differs from the state entry {baseline} recorded" in "\n".join(
        verify_command()[1]
    )


# --- the triggers ---------------------------------------------------------------------------------


def _refused(statement: str, params: list) -> bool:
    try:
        with transaction.atomic():
            sql(statement, params)
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


def test_given_a_case_when_updated_in_the_database_then_only_the_stage_columns_may_change(world):
    """GIVEN a case WHEN its cause or handler is UPDATEd in the database THEN refused; WHEN its stage,
    enforcement end or archive time is, or a column is set to the value it has THEN allowed."""
    pk = world["case"].pk
    assert _refused("UPDATE cases_case SET cause = %s WHERE id = %s", ["伪造", pk])
    assert _refused("UPDATE cases_case SET handler_id = %s WHERE id = %s", [world["officer2"].pk, pk])
    assert _refused("UPDATE cases_case SET confidential = %s WHERE id = %s", [True, pk])
    assert not _refused(
        "UPDATE cases_case SET stage = %s, enforcement_ended_at = %s, archived_at = %s WHERE id = %s",
        ["closed", clock.now(), clock.now(), pk],
    )
    assert not _refused("UPDATE cases_case SET cause = cause WHERE id = %s", [pk])


def test_given_a_device_when_updated_in_the_database_then_only_status_and_holder_may_change(world):
    """GIVEN a registered device WHEN its number, kind or agency is UPDATEd in the database THEN refused;
    WHEN its status or holder is (what its events change) THEN allowed."""
    pk = world["device"].pk
    assert _refused("UPDATE evidence_device SET number = %s WHERE id = %s", ["DSJ-9999", pk])
    assert _refused("UPDATE evidence_device SET kind = %s WHERE id = %s", ["drone", pk])
    assert _refused(
        "UPDATE evidence_device SET agency_id = %s WHERE id = %s", [world["agency"].pk + 1000, pk]
    )
    assert not _refused(
        "UPDATE evidence_device SET status = %s, holder_id = %s WHERE id = %s", ["available", None, pk]
    )


def test_given_a_party_when_updated_in_the_database_then_refused(world):
    """GIVEN a party WHEN any column of it is UPDATEd THEN refused (no service ever changes a party)."""
    pk = world["party"].pk
    assert _refused("UPDATE cases_party SET name = %s WHERE id = %s", ["李某某", pk])
    assert _refused("UPDATE cases_party SET id_number = %s WHERE id = %s", ["1", pk])
