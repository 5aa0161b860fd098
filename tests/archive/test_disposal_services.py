"""Retention follows the case file, and approved disposal (销毁清册) end to end on the local store: the
sign-off locks every content until the period ends, a hold (a long-term trigger) blocks disposal and
extends the lock, two different people approve, and after execution the blob is gone while verify
reports it as destroyed by approval."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from liuhen.archive import disposal
from liuhen.archive.integrity import verify_all
from liuhen.archive.models import DisposalDestruction
from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied
from liuhen.ledger.models import LedgerEntry
from liuhen.rules.profile import load_profile
from liuhen.rules.retention import LONG_TERM_YEARS
from tests.archive.archiving import archive_case, inquiry_recording
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db

LATER = timedelta(days=365 * 31)  # past a 30年 period


@pytest.fixture
def office():
    agency = make_agency()
    officer = make_user(agency)
    head = make_user(agency, ["head"], name="局长")
    archivist = make_user(agency, ["archivist"], name="档案员")
    return agency, officer, head, archivist


def _regulation_lists_complaints(monkeypatch) -> None:
    """From now on the agency's regulation is longjiang's, whose §19 makes a complaint a hold (the
    case files were signed off without it: the hold arrives later)."""
    profile = load_profile("longjiang-cg")
    monkeypatch.setattr(disposal, "agency_profile", lambda agency: profile)


def _archived(officer, head, **extra):
    case = closed_case(officer, head, **extra)
    return archive_case(case)


def test_given_a_signed_off_case_file_then_every_content_is_locked_until_its_period_ends(office):
    _, officer, head, _ = office
    case_file = _archived(officer, head)
    end = disposal.period_end(case_file)
    assert case_file.retention == "30年" and end is not None
    assert disposal.local_day(end).year == disposal.local_day(case_file.checked_at).year + 30
    store = blob_store()
    contents = disposal.contents_of(case_file)
    assert contents
    for sha256, _ in contents:
        assert store.retained_until(sha256) == end
    with pytest.raises(Exception, match="retained until"):
        store.delete(contents[0][0], now=clock.now())
    assert store.exists(contents[0][0])


def test_given_a_hold_that_arrives_later_then_the_lock_is_extended_and_disposal_refused_citing_it(
    office, monkeypatch
):
    agency, officer, head, archivist = office
    held = _archived(officer, head, flags=["complaint_about_enforcement"])
    sha256 = disposal.contents_of(held)[0][0]
    before = blob_store().retained_until(sha256)
    _regulation_lists_complaints(monkeypatch)

    assert disposal.disposal_upkeep()["relocked"] == 1
    after = blob_store().retained_until(sha256)
    assert before is not None and after is not None and after > before
    assert disposal.local_day(after).year == disposal.local_day(clock.now()).year + LONG_TERM_YEARS

    with clock.frozen(clock.now() + LATER):
        assert disposal.disposal_candidates(user=archivist) == []
        with pytest.raises(Conflict) as refused:
            disposal.disposal_propose(by=archivist, reason="期满鉴定", case_file_ids=[held.pk])
    assert "对执法有异议或投诉" in refused.value.message
    assert "《" in refused.value.message and "longjiang" not in refused.value.message
    assert refused.value.errors[0].field == "case_files"


def test_given_a_case_file_inside_its_period_then_nobody_may_list_it(office):
    _, officer, head, archivist = office
    case_file = _archived(officer, head)
    assert disposal.disposal_candidates(user=archivist) == []
    with pytest.raises(Conflict, match="期限内不得销毁"):
        disposal.disposal_propose(by=archivist, reason="提前销毁", case_file_ids=[case_file.pk])


def test_given_an_expired_file_when_approved_by_two_people_and_executed_then_the_blob_is_gone_and_verify_says_why(
    office, monkeypatch, tmp_path
):
    agency, officer, head, archivist = office
    expired = _archived(officer, head)
    held = _archived(officer, head, flags=["complaint_about_enforcement"])
    _regulation_lists_complaints(monkeypatch)
    kept_sha = disposal.contents_of(held)[0][0]

    with clock.frozen(clock.now() + LATER):
        candidates = disposal.disposal_candidates(user=archivist)
        assert [c.case_file.pk for c in candidates] == [expired.pk]  # the held file is not proposed
        listing = disposal.disposal_propose(by=archivist, reason="保管期限已满，经鉴定无继续保存价值")
        assert [e["archive_no"] for e in listing.entries] == [expired.archive_no]

        with pytest.raises(Conflict, match="尚缺"):
            disposal.disposal_execute(disposal=listing, by=archivist)
        disposal.disposal_approve(disposal=listing, by=head, opinion="同意销毁")
        with pytest.raises(PermissionDenied, match="另一人"):
            disposal.disposal_approve(disposal=listing, by=head, opinion="再次同意")
        with pytest.raises(Conflict, match="档案管理员"):
            disposal.disposal_execute(disposal=listing, by=archivist)
        disposal.disposal_approve(disposal=listing, by=archivist, opinion="档案部门同意")

        result = disposal.disposal_execute(disposal=listing, by=archivist)

    contents = disposal.contents_of(expired)
    assert result.destroyed == len(contents) and result.pending == 0
    for sha256, _ in contents:
        assert not blob_store().exists(sha256)
    assert blob_store().exists(kept_sha)
    assert DisposalDestruction.objects.filter(disposal=listing).count() == len(contents)
    logged = LedgerEntry.objects.filter(action="archive.content_destroyed").count()
    assert logged == len(contents)

    assert verify_all(files=True) == []
    out = io.StringIO()
    call_command("verify", stdout=out, stderr=io.StringIO())
    assert f"destroyed by approval (销毁清册 No. {listing.number}): blob {contents[0][0]}" in out.getvalue()

    # a receiver of the whole-log export checks it offline: the destroyed files are absent on purpose
    from liuhen.archive.export import ledger_export
    from liuhen.tlog.verify import check_bundle

    exported = tmp_path / "bundle"
    ledger_export(dest=exported)
    report = check_bundle(exported)
    assert report.problems == []
    assert report.destroyed == {sha256: listing.number for sha256, _ in contents}
    assert "file missing" not in out.getvalue()


def test_given_a_list_when_one_person_holds_both_roles_then_the_second_approval_is_refused(office):
    agency, officer, head, _ = office
    both = make_user(agency, ["head", "archivist"], name="兼任")
    expired = _archived(officer, head)
    with clock.frozen(clock.now() + LATER):
        listing = disposal.disposal_propose(by=both, reason="期满", case_file_ids=[expired.pk])
        disposal.disposal_approve(disposal=listing, by=both, opinion="同意")
        with pytest.raises(PermissionDenied, match="另一人"):
            disposal.disposal_approve(disposal=listing, by=both, opinion="同意")
        assert disposal.disposal_get(user=both, disposal_id=listing.pk).missing_roles == ["archivist"]


def test_given_a_recording_another_case_also_holds_when_executed_then_it_is_kept_and_the_rest_destroyed(
    office, tmp_path
):
    _, officer, head, archivist = office
    case = closed_case(officer, head)
    inquiry_recording(case, officer, tmp_path)
    expired = archive_case(case)
    other = make_case(officer)
    shared = inquiry_recording(other, officer, tmp_path)  # the same bytes, stored once
    with clock.frozen(clock.now() + LATER):
        listing = disposal.disposal_propose(by=archivist, reason="期满", case_file_ids=[expired.pk])
        disposal.disposal_approve(disposal=listing, by=head, opinion="同意")
        disposal.disposal_approve(disposal=listing, by=archivist, opinion="同意")
        result = disposal.disposal_execute(disposal=listing, by=archivist)
    assert result.kept == 1 and result.destroyed == len(disposal.contents_of(expired)) - 1
    assert DisposalDestruction.objects.get(sha256=shared).outcome == "kept_shared"
    assert blob_store().verify(shared)
    assert verify_all(files=True) == []
