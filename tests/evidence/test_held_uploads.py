"""A hand-off that fails for good: held after the retries, one alert for administrators, a person retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from liuhen.archive.integrity import verify_all
from liuhen.archive.models import IntegrityAlert
from liuhen.cases import services
from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.services.held_uploads import HELD_ALERT_KIND
from liuhen.evidence.tasks import uploads_upkeep_task
from liuhen.evidence.tus_view import tus_server
from liuhen.ledger.models import LedgerEntry
from liuhen.storage import StorageFull
from liuhen.uploads.state import HandoffPolicy
from liuhen.web.context import integrity_alerts
from tests.archive.archiving import archive_case
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DATA = b"held-evidence-" * 700


def _upload_into_archived_case(tus, case) -> str:
    """Create the upload while the case is open; it is archived before the last byte arrives."""
    url = tus.create(len(DATA), labels={"filename": "现场检查.mp4"})["Location"]
    make_document(case, case.opened_by, "initiation_approval")  # a case file needs an item
    services.case_transition(case=case, by=case.opened_by, to_stage="closed", reason="不予立案")
    archive_case(case)
    assert tus.patch(url, DATA, 0).status_code == 409
    return url.rsplit("/", 1)[-1]


def _store_full(monkeypatch) -> None:
    def no_space(*args, **kwargs):
        raise StorageFull("no space left on device")

    monkeypatch.setattr(blob_store(), "put_file", no_space)
    monkeypatch.setattr(blob_store(), "adopt_file", no_space)


def test_given_case_archived_mid_upload_when_upkeep_runs_hourly_then_held_with_exactly_one_alert(
    tus, case, officer
):
    """GIVEN an upload whose case is archived before its last byte WHEN the upkeep runs every hour for
    three days THEN it is retried with growing pauses, held after the 8th attempt (18 h later), one
    alert (with its ledger entry) names the upload, uploader, file and error, and the bytes are kept."""
    with clock.frozen(T0) as move:
        upload_id = _upload_into_archived_case(tus, case)
        runs = []
        for hour in range(1, 73):
            move(T0 + timedelta(hours=hour))
            runs.append(uploads_upkeep_task.call())

    first_held = next(i for i, r in enumerate(runs, start=1) if r["held"])
    assert first_held == 18  # attempts at runs 1, 2, 3, 4, 6, 10, 18: pauses 0, 15, 30, 60, 120, 240, 480 min
    assert runs[first_held - 1]["held_alerted"] == 1
    assert all(r["held"] == 1 and r["held_alerted"] == 0 for r in runs[first_held:])
    assert sum(r["finalized"] for r in runs) == 0 and not MediaRecord.objects.exists()
    info = tus_server().files.load(upload_id)
    assert (info.state, info.handoff_attempts) == ("held", 8)
    assert info.last_error.startswith("Conflict: ") and "已归档" in info.last_error
    assert tus_server().files.part_path(upload_id).read_bytes() == DATA
    [alert] = IntegrityAlert.objects.filter(kind=HELD_ALERT_KIND)
    for text in (upload_id, "张三", officer.username, "现场检查.mp4", f"{len(DATA)} 字节", "已归档"):
        assert text in alert.detail
    entry = LedgerEntry.objects.get(index=alert.ledger_index)
    assert (entry.action, entry.agency_id) == ("upload.held", officer.agency_id)
    assert verify_all(files=False) == []


def test_given_a_held_upload_then_administrators_see_the_alert_on_every_page(tus, case, officer):
    """GIVEN a held upload with its alert WHEN an administrator's page context is built THEN it counts
    the alert; an officer's context has none."""
    tus_server().handoff = HandoffPolicy(max_attempts=1)
    with clock.frozen(T0) as move:
        _upload_into_archived_case(tus, case)
        move(T0 + timedelta(hours=1))
        assert uploads_upkeep_task.call()["held_alerted"] == 1
        admin = make_user(officer.agency, ["admin"])

        for user, expected in ((admin, {"integrity_alert_count": 1}), (officer, {})):
            request = RequestFactory().get("/")
            request.user = user
            assert integrity_alerts(request) == expected


def test_given_store_full_for_a_day_when_a_person_retries_after_freeing_space_then_recorded(tus, monkeypatch):
    """GIVEN an upload held because the store was full WHEN `uploads list` runs THEN it shows the upload
    held with its attempts and error; WHEN `uploads retry` runs while still full THEN a one-line
    CommandError; WHEN retried after space is freed THEN the media record is made once."""
    server = tus_server()
    server.handoff = HandoffPolicy(max_attempts=2)
    with monkeypatch.context() as full:
        _store_full(full)
        url = tus.create(len(DATA))["Location"]
        assert tus.patch(url, DATA, 0).status_code == 507
        upload_id = url.rsplit("/", 1)[-1]
        server.clock = lambda: clock.now() + timedelta(days=1)
        assert uploads_upkeep_task.call()["held"] == 1

        listing = _run("uploads", "list")
        assert upload_id in listing and "held" in listing and f"{len(DATA)}/{len(DATA)}" in listing
        assert "attempts=2" in listing and "StorageFull: no space left on device" in listing
        with pytest.raises(CommandError) as refused:
            call_command("uploads", "retry", upload_id)
        assert "\n" not in str(refused.value) and "still held after attempt 3" in str(refused.value)

    recorded = _run("uploads", "retry", upload_id)

    [media] = MediaRecord.objects.all()
    assert f"as media record {media.pk}" in recorded
    ack = IntegrityAlert.objects.get(kind=HELD_ALERT_KIND).acknowledgement  # dealt with by the system
    assert ack.by is None and f"音像记录 {media.pk}" in ack.note
    assert LedgerEntry.objects.get(index=ack.ledger_index).action == "alert.acknowledged"
    assert _run("uploads", "list").strip() == "no uploads (receiving, complete, held)"


def test_given_an_unknown_or_unfinished_upload_when_retried_then_one_line_refusal(tus):
    """GIVEN no such upload / an upload still receiving WHEN `uploads retry` THEN CommandError saying so."""
    with pytest.raises(CommandError, match="no upload"):
        call_command("uploads", "retry", "0" * 32)
    url = tus.create(len(DATA))["Location"]
    tus.patch(url, DATA[:100], 0)
    with pytest.raises(CommandError, match="is receiving, not awaiting a hand-off"):
        call_command("uploads", "retry", url.rsplit("/", 1)[-1])
    listing = _run("uploads", "list", "--state", "receiving")
    assert f"100/{len(DATA)}" in listing and "attempts=0" in listing


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
