"""The device registry (R4) and interruption records (R3.4), through services and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, transaction

from liuhen.cases import services as case_services
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.evidence.models import DeviceEvent, MediaIntake, MediaRecord
from liuhen.evidence.services.devices import device_event, device_register
from liuhen.evidence.services.interruptions import interruption_record
from liuhen.ledger.models import LedgerEntry
from tests.evidence.conftest import payload
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 1, 12, tzinfo=UTC)


@pytest.fixture
def custodian(agency):
    return make_user(agency, ["device_custodian"], name="设备管理员")


def test_given_device_when_its_life_is_recorded_then_events_status_and_ledger_follow(custodian, officer):
    """GIVEN a registered camera WHEN handed out, checked, broken, repaired, retired THEN each step is an
    append-only event and a ledger entry, and the status follows."""
    cam = device_register(by=custodian, number="DSJ-0001", kind="body_camera")
    device_event(device=cam, by=custodian, kind="handed_out", holder=officer)
    check = device_event(device=cam, by=officer, kind="checked", battery_percent=90, free_storage_mb=9000)
    device_event(device=cam, by=officer, kind="fault", note="无法开机")
    device_event(device=cam, by=custodian, kind="repaired")
    device_event(device=cam, by=custodian, kind="retired")
    cam.refresh_from_db()
    assert cam.status == "retired" and cam.holder is None and check.check_passed is True
    kinds = list(cam.events.values_list("kind", flat=True))
    assert kinds == ["registered", "handed_out", "checked", "fault", "repaired", "retired"]
    assert LedgerEntry.objects.filter(action__startswith="device.").count() == 6
    with pytest.raises(Conflict):
        device_event(device=cam, by=custodian, kind="handed_out", holder=officer)
    with pytest.raises(PermissionDenied):
        device_register(by=officer, number="DSJ-0002", kind="body_camera")
    with pytest.raises(DatabaseError), transaction.atomic():
        DeviceEvent.objects.filter(device=cam).update(note="改写")


def test_given_retired_or_unknown_device_when_uploading_then_flagged(tus, custodian):
    """GIVEN DSJ-0001 retired and DSJ-0002 in service WHEN footage of DSJ-0001, 0002 and 9999 arrives THEN
    it is flagged retired, fine, unknown."""
    retired = device_register(by=custodian, number="DSJ-0001", kind="body_camera")
    device_event(device=retired, by=custodian, kind="retired")
    device_register(by=custodian, number="DSJ-0002", kind="body_camera")
    flags = []
    for number in ("DSJ-0001", "DSJ-0002", "DSJ-9999"):
        response = tus.upload(payload(1000, number.encode()), device_no=number)
        flags.append(MediaIntake.objects.get(media_id=int(response["Liuhen-Media-Id"])).device_flag)
    assert flags == ["retired_device", "", "unknown_device"]


def test_given_device_api_when_registered_and_handed_out_then_listed(client, custodian, officer):
    """GIVEN the custodian's session WHEN registering and handing out over the API THEN the list shows it."""
    client.force_login(custodian)
    created = client.post(
        "/api/devices", {"number": "DSJ-7", "kind": "body_camera"}, content_type="application/json"
    )
    assert created.status_code == 201
    device_id = created.json()["id"]
    moved = client.post(
        f"/api/devices/{device_id}/events",
        {"kind": "handed_out", "holder_id": officer.pk},
        content_type="application/json",
    )
    assert moved.status_code == 201 and moved.json()["status_after"] == "issued"
    listed = client.get("/api/devices?number=DSJ-7").json()
    assert [(d["number"], d["holder_id"]) for d in listed] == [("DSJ-7", officer.pk)]
    bad = client.post(
        f"/api/devices/{device_id}/events", {"kind": "repaired"}, content_type="application/json"
    )
    assert bad.status_code == 409


def _statement(case, officer, signers: int):
    doc = make_document(case, officer, "interruption_statement")
    for name in ["张伟", "李娜"][:signers]:
        case_services.document_sign(
            document=doc,
            recorded_by=officer,
            signer_role="officer",
            signer_name=name,
            method="handwritten_scan",
        )
    return doc


def test_given_interruption_when_explained_then_clip_or_two_signature_statement_required(tus, case, officer):
    """GIVEN a battery interruption WHEN recorded with nothing, with a one-signature statement, or not resumed
    with only a clip THEN refused; WITH a spoken clip (resumed) or a two-signature statement THEN recorded."""
    clip_id = int(tus.upload(payload(500, b"clip"), filetype="audio/mpeg")["Liuhen-Media-Id"])

    clip = MediaRecord.objects.get(pk=clip_id)
    base = {"case": case, "recorded_by": officer, "reason": "battery", "interrupted_at": T0}
    with pytest.raises(ValidationFailed):
        interruption_record(**base, resumed_at=T0 + timedelta(minutes=3))
    with pytest.raises(ValidationFailed):
        interruption_record(**base, statement=_statement(case, officer, 1))
    assert clip.kind == "other"  # an unknown format is not a spoken explanation
    with pytest.raises(ValidationFailed):
        interruption_record(**base, resumed_at=T0 + timedelta(minutes=3), explanation_media=clip)
    item = interruption_record(**base, statement=_statement(case, officer, 2))
    assert item.resumed_at is None and LedgerEntry.objects.filter(action="av.interruption").count() == 1


def test_given_interruption_api_when_posted_then_listed(tus, client, case, officer):
    """GIVEN a signed statement WHEN an interruption is posted over the API THEN it is listed for the case."""
    doc = _statement(case, officer, 2)
    client.force_login(officer)
    body = {"reason": "storage", "interrupted_at": T0.isoformat(), "statement_id": doc.pk}
    assert (
        client.post(f"/api/cases/{case.pk}/interruptions", body, content_type="application/json").status_code
        == 201
    )
    listed = client.get(f"/api/cases/{case.pk}/interruptions").json()
    assert [(i["reason"], i["statement_id"]) for i in listed] == [("storage", doc.pk)]
