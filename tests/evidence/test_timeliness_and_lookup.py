"""The 24-hour rule per officer and device, content lookup by hash, intake details, S3 playback with Range."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.evidence.selectors import timeliness_report
from tests.evidence.conftest import payload
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def agency(db):
    """An agency whose profile (dalian-cg§22) sets the 24-hour upload rule: the only source of a deadline."""
    return make_agency(profile_id="dalian-cg")


def _at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


def test_given_uploads_at_various_delays_then_figures_per_officer_and_device(tus, officer):
    """GIVEN three recordings by 张三 (on time, late with a cause, remote work on time after return) and one
    by 李四 without capture time WHEN the report is read (selector and API) THEN the counts match."""
    with clock.frozen(T0 + timedelta(hours=30)):
        tus.upload(payload(10, b"a"), officers="张三", device_no="DSJ-1", captured_end=_at(10))
        tus.upload(
            payload(10, b"b"), officers="张三", device_no="DSJ-1", captured_end=_at(1), late_cause="设备故障"
        )
        tus.upload(
            payload(10, b"c"),
            officers="张三",
            device_no="DSJ-2",
            captured_start=_at(-48),
            remote_work="1",
            returned_at=_at(20),
        )
        tus.upload(payload(10, b"d"), officers="李四", device_no="DSJ-2")
    report = timeliness_report(user=officer)
    by_officer = {
        f.key: (f.total, f.on_time, f.late, f.late_with_cause, f.unknown) for f in report.by_officer
    }
    assert by_officer == {"张三": (3, 2, 1, 1, 0), "李四": (1, 0, 0, 0, 1)}
    by_device = {f.key: (f.on_time, f.late, f.unknown) for f in report.by_device}
    assert by_device == {"DSJ-1": (1, 1, 0), "DSJ-2": (1, 0, 1)}
    api = tus.client.get("/api/evidence/timeliness", headers={"Authorization": f"Bearer {tus.token}"}).json()
    assert [(x["overdue_seconds"], x["late_cause"]) for x in api["late"]] == [(5 * 3600, "设备故障")]
    assert {f["key"]: f["on_time_percent"] for f in api["by_officer"]} == {"张三": 66, "李四": None}


def test_given_stored_content_when_asked_by_hash_then_only_own_agency_sees_it(tus, case):
    """GIVEN a file uploaded by agency A WHEN A and B ask /api/media/exists THEN A sees it, B does not."""
    data = payload(2000, b"exists")
    digest = hashlib.sha256(data).hexdigest()
    auth = {"Authorization": f"Bearer {tus.token}"}
    assert tus.client.get(f"/api/media/exists?sha256={digest}", headers=auth).json()["exists"] is False
    media_id = int(tus.upload(data)["Liuhen-Media-Id"])
    mine = tus.client.get(f"/api/media/exists?sha256={digest.upper()}", headers=auth).json()
    assert mine["exists"] and [m["id"] for m in mine["media"]] == [media_id]
    from liuhen.accounts.services import token_issue

    other = token_issue(user=make_user(make_agency(), ["officer"]))
    theirs = tus.client.get(
        f"/api/media/exists?sha256={digest}", headers={"Authorization": f"Bearer {other}"}
    )
    assert theirs.json()["exists"] is False
    intake = tus.client.get(f"/api/media/{media_id}/intake", headers=auth).json()
    assert intake["format_flagged"] is True and intake["timeliness"]["status"] == "unknown"
    assert tus.client.get("/api/media/exists?sha256=zz", headers=auth).status_code == 422


def test_given_s3_backend_when_uploaded_then_object_locked_and_range_playback_logged(s3_settings, tus):
    """GIVEN the S3 backend (moto) WHEN a file arrives through tus and is played with Range THEN the object
    has COMPLIANCE retention, the 206 body is the exact slice, and the view is a ledger entry."""
    from liuhen.ledger.models import LedgerEntry

    data = payload(300_000, b"s3")
    media_id = int(tus.upload(data, filetype="video/mp4")["Liuhen-Media-Id"])
    assert blob_store().retention(hashlib.sha256(data).hexdigest())[0] == "COMPLIANCE"
    auth = {"Authorization": f"Bearer {tus.token}", "Range": "bytes=1000-1999"}
    response = tus.client.get(f"/api/media/{media_id}/content", headers=auth)
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert b"".join(response.streaming_content) == data[1000:2000]
    assert LedgerEntry.objects.filter(action="media.viewed").count() == 1


def _upload_findings(case) -> list[str]:
    from liuhen.compliance.models import StoredFinding

    return list(StoredFinding.objects.filter(case=case, av_upload=True).values_list("status", flat=True))


def test_given_a_24h_profile_when_uploaded_one_second_late_then_report_intake_and_rule_all_say_late(tus):
    """GIVEN dalian-cg (24 h from the end of the recording) WHEN a clip ending at T0+2h arrives at
    T0+26h+1s, and one with only a start at T0 arrives at T0+24h+1s THEN the report, the intake and the
    compliance finding all say late by 1 s, counted from the end, else the start."""
    end = T0 + timedelta(hours=2)
    with clock.frozen(end + timedelta(hours=24, seconds=1)):
        ended = tus.upload(payload(10, b"e"), officers="张三", captured_start=_at(0), captured_end=_at(2))
    with clock.frozen(T0 + timedelta(hours=24, seconds=1)):
        tus.upload(payload(10, b"s"), officers="张三", captured_start=_at(0))
    late = timeliness_report(user=tus.case.opened_by).late
    assert sorted((t.overdue_seconds, t.deadline) for _, t, _ in late) == [
        (1, T0 + timedelta(hours=24)),
        (1, end + timedelta(hours=24)),
    ]
    auth = {"Authorization": f"Bearer {tus.token}"}
    intake = tus.client.get(f"/api/media/{ended['Liuhen-Media-Id']}/intake", headers=auth).json()
    assert (intake["timeliness"]["status"], intake["timeliness"]["overdue_seconds"]) == ("late", 1)
    assert _upload_findings(tus.case) == ["violated", "violated"]


def test_given_gaochang_sthj_which_disables_the_rule_when_uploaded_days_late_then_no_late_marks(tus):
    """GIVEN an agency on gaochang-sthj (its regulation has no upload clause; the profile disables the
    rule) WHEN footage recorded three days earlier arrives THEN the report counts nothing late, the
    intake says no deadline applies and the case has no upload finding."""
    agency = tus.case.agency
    type(agency).objects.filter(pk=agency.pk).update(profile_id="gaochang-sthj")
    with clock.frozen(T0 + timedelta(days=3)):
        media_id = tus.upload(payload(10, b"g"), officers="张三", captured_end=_at(0))["Liuhen-Media-Id"]
    report = timeliness_report(user=tus.case.opened_by)
    assert report.late == [] and report.by_officer == []
    auth = {"Authorization": f"Bearer {tus.token}"}
    intake = tus.client.get(f"/api/media/{media_id}/intake", headers=auth).json()
    assert (intake["timeliness"]["status"], intake["timeliness"]["deadline"]) == ("not_required", None)
    assert _upload_findings(tus.case) == []
