"""Pure rules of the evidence app: labels, the 24-hour rule, device life-cycle (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liuhen.evidence.device_states import DeviceTransitionError, check_passes, next_status
from liuhen.evidence.labels import LabelError, parse_labels
from liuhen.evidence.timeliness import TimelinessFigures, assess_upload
from liuhen.rules.upload import RETURN_OR_CAPTURE, UploadDeadline

T0 = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
RULE_24H = UploadDeadline(24, RETURN_OR_CAPTURE)


def test_given_full_labels_when_parsed_then_typed_values():
    """GIVEN tus metadata strings WHEN parsed THEN ids, lists, flags and zoned times come out typed."""
    labels = parse_labels(
        {
            "case_id": "7",
            "officers": "张三，李四",
            "captured_start": "2026-03-01T09:00:00+08:00",
            "remote_work": "true",
            "linked_document_ids": "3,4",
            "name": "a.mp4",
            "liuhen-user": "99",
        }
    )
    assert labels.case_id == 7 and labels.officers == ("张三", "李四") and labels.remote_work
    assert labels.captured_start == T0 and labels.linked_document_ids == (3, 4) and labels.filename == "a.mp4"


def test_given_no_case_when_parsed_then_labels_without_case():
    """GIVEN footage labelled with a device and officer but no case (a docked body camera) WHEN
    parsed THEN ``case_id`` is ``None`` and the other labels are kept."""
    labels = parse_labels({"device_no": "DSJ-001", "officers": "张三", "case_id": ""})

    assert labels.case_id is None and labels.device_no == "DSJ-001" and labels.officers == ("张三",)


@pytest.mark.parametrize(
    ("metadata", "field"),
    [
        ({"case_id": "第3号"}, "case_id"),
        ({"linked_document_ids": "4"}, "linked_document_ids"),
        ({"case_id": "1", "captured_start": "2026-03-01T09:00:00"}, "captured_start"),
        ({"case_id": "1", "remote_work": "maybe"}, "remote_work"),
        ({"case_id": "1", "sha256": "xyz"}, "sha256"),
        ({"case_id": "1", "linked_document_ids": "1,a"}, "linked_document_ids"),
        (
            {
                "case_id": "1",
                "captured_start": "2026-03-01T10:00:00Z",
                "captured_end": "2026-03-01T09:00:00Z",
            },
            "captured_end",
        ),
    ],
)
def test_given_bad_label_when_parsed_then_error_names_field(metadata, field):
    """GIVEN one bad label WHEN parsed THEN LabelError names that field."""
    with pytest.raises(LabelError) as caught:
        parse_labels(metadata)
    assert caught.value.field == field


def test_given_capture_times_when_assessed_then_24h_counts_from_recording_end():
    """GIVEN a recording ending at T0 WHEN uploaded at T0+24h and T0+25h THEN on time, then late by 1 h."""
    common = {
        "rule": RULE_24H,
        "captured_start": T0 - timedelta(hours=1),
        "captured_end": T0,
        "remote_work": False,
        "returned_at": None,
    }
    assert assess_upload(uploaded_at=T0 + timedelta(hours=24), **common).status == "on_time"
    late = assess_upload(uploaded_at=T0 + timedelta(hours=25), **common)
    assert (late.status, late.overdue_seconds, late.counted_from) == ("late", 3600, "capture")


def test_given_remote_work_when_assessed_then_counts_from_return_or_from_recording_without_it():
    """GIVEN remote work returning 3 days after capture WHEN uploaded 12 h after return THEN on time,
    counted from the return; without a return time THEN counted from the recording (late), and with
    no recording time at all THEN unknown."""
    returned = T0 + timedelta(days=3)
    result = assess_upload(
        rule=RULE_24H,
        uploaded_at=returned + timedelta(hours=12),
        captured_start=T0,
        captured_end=None,
        remote_work=True,
        returned_at=returned,
    )
    assert result.status == "on_time" and result.counted_from == "return"
    missing = assess_upload(
        rule=RULE_24H,
        uploaded_at=returned,
        captured_start=T0,
        captured_end=None,
        remote_work=True,
        returned_at=None,
    )
    assert (missing.status, missing.counted_from, missing.overdue_seconds) == ("late", "capture", 2 * 86400)
    no_time = assess_upload(
        rule=RULE_24H,
        uploaded_at=T0,
        captured_start=None,
        captured_end=None,
        remote_work=False,
        returned_at=None,
    )
    assert no_time.status == "unknown"


def test_given_mixed_results_when_counted_then_percent_over_known_only():
    """GIVEN 3 on time, 1 late with cause, 1 unknown WHEN counted THEN 75 % on time."""
    figures = TimelinessFigures("张三")
    on_time = assess_upload(
        rule=RULE_24H,
        uploaded_at=T0,
        captured_start=T0,
        captured_end=None,
        remote_work=False,
        returned_at=None,
    )
    late = assess_upload(
        rule=RULE_24H,
        uploaded_at=T0 + timedelta(days=2),
        captured_start=T0,
        captured_end=None,
        remote_work=False,
        returned_at=None,
    )
    unknown = assess_upload(
        rule=RULE_24H,
        uploaded_at=T0,
        captured_start=None,
        captured_end=None,
        remote_work=False,
        returned_at=None,
    )
    for result, cause in [(on_time, False)] * 3 + [(late, True), (unknown, False)]:
        figures.add(result, has_cause=cause)
    assert (figures.total, figures.late_with_cause, figures.unknown, figures.on_time_percent) == (5, 1, 1, 75)


def test_given_device_when_life_cycle_then_only_allowed_moves():
    """GIVEN a device WHEN handed out, returned, broken, repaired, retired THEN statuses follow; an issued
    device cannot be retired and a retired one cannot be handed out."""
    assert next_status("available", "handed_out") == "issued"
    assert next_status("issued", "fault") == "faulty"
    assert next_status("faulty", "repaired") == "available"
    assert next_status("available", "retired") == "retired"
    for status, event in [("issued", "retired"), ("retired", "handed_out"), ("available", "returned")]:
        with pytest.raises(DeviceTransitionError):
            next_status(status, event)
    assert check_passes(battery_percent=90, free_storage_mb=8000)
    assert not check_passes(battery_percent=30, free_storage_mb=8000)


def test_given_shipped_profiles_when_upload_rule_read_then_only_from_the_profile():
    """GIVEN the shipped profiles WHEN their upload rule is read THEN gaochang-sthj (rule disabled)
    and no profile have none, so nothing is ever late there; the others are 24 h, counted from the
    return except xinglongtai-mz (its §23 has no return clause)."""
    from liuhen.rules import load_profile
    from liuhen.rules.upload import upload_deadline

    assert upload_deadline(load_profile("gaochang-sthj")) is None and upload_deadline(None) is None
    assert upload_deadline(load_profile("xinle-fg")) == UploadDeadline(24, RETURN_OR_CAPTURE)
    assert upload_deadline(load_profile("xinglongtai-mz")) == UploadDeadline(24, "media.captured_end")
    unruled = assess_upload(
        rule=None,
        uploaded_at=T0 + timedelta(days=30),
        captured_start=T0,
        captured_end=T0,
        remote_work=False,
        returned_at=None,
    )
    assert (unruled.status, unruled.deadline, unruled.overdue_seconds) == ("not_required", None, 0)


def test_given_recording_end_or_only_start_when_assessed_then_late_one_second_after_24h():
    """GIVEN a recording from T0 to T0+2h WHEN uploaded at end+24h THEN on time, at end+24h+1s THEN late by
    1 s (the end counts, not the start); GIVEN no end THEN the start counts."""
    times = {"remote_work": False, "returned_at": None, "rule": RULE_24H}
    end = T0 + timedelta(hours=2)
    at_limit = assess_upload(
        uploaded_at=end + timedelta(hours=24), captured_start=T0, captured_end=end, **times
    )
    over = assess_upload(
        uploaded_at=end + timedelta(hours=24, seconds=1), captured_start=T0, captured_end=end, **times
    )
    assert at_limit.status == "on_time" and (over.status, over.overdue_seconds) == ("late", 1)
    start_only = assess_upload(
        uploaded_at=T0 + timedelta(hours=24, seconds=1), captured_start=T0, captured_end=None, **times
    )
    assert (start_only.status, start_only.overdue_seconds, start_only.deadline) == (
        "late",
        1,
        T0 + timedelta(hours=24),
    )
