"""Fixity (rolling re-hash, SM3, ledger entries, alerts) and the offline-verifiable export."""

from __future__ import annotations

import hashlib
import io
import json
import os

import pytest
from django.core.management import call_command

from liuhen.archive.fixity import document_digests_fill, fixity_run
from liuhen.archive.models import ContentDigest, IntegrityAlert
from liuhen.ledger.models import LedgerEntry
from liuhen.tlog.verify import verify_bundle
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import blob_path, drop_triggers, make_media, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    user = make_user(make_agency(), ["officer", "handler"])
    case = make_case(user)
    media = [make_media(case, user, tmp_path, bytes([i]) * (1000 + i)) for i in range(3)]
    return {"user": user, "case": case, "media": media, "document": make_document(case, user)}


def test_given_stored_files_when_fixity_runs_then_each_result_is_an_entry_with_sm3_recorded(world):
    """GIVEN three files WHEN fixity checks two, then two more THEN the schedule rolls over (3 distinct,
    then wraps), every check is a ledger entry and SM3 digests sit beside the SHA-256."""
    first = fixity_run(limit=2)
    second = fixity_run(limit=2)
    checked = [r.sha256 for r in first + second]
    assert len(set(checked[:3])) == 3 and checked[3] == checked[0]
    assert all(r.ok for r in first + second)
    assert LedgerEntry.objects.filter(action="fixity.checked").count() == 4
    media = world["media"][0]
    digest = ContentDigest.objects.get(sha256=media.sha256)
    assert digest.sm3 == hashlib.new("sm3", bytes([0]) * 1000).hexdigest()
    assert document_digests_fill() == 1
    assert ContentDigest.objects.filter(sha256=world["document"].body_sha256, kind="document").exists()


def test_given_a_corrupted_file_when_fixity_runs_then_an_alert_and_a_failed_entry(world):
    """GIVEN one file's bytes changed WHEN fixity runs THEN a `fixity.failed` entry and an admin alert name it."""
    victim = world["media"][1].sha256
    path = blob_path(victim)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    results = fixity_run(limit=10)
    assert [r.sha256 for r in results if not r.ok] == [victim]
    alert = IntegrityAlert.objects.get()
    assert (alert.kind, alert.subject) == ("file corrupted", f"blob {victim}")
    failed = LedgerEntry.objects.get(action="fixity.failed")
    assert failed.index == alert.ledger_index and victim.encode() in bytes(failed.body)


def test_given_an_installation_when_exported_then_the_offline_verifier_accepts_then_catches_tampering(
    world, tmp_path
):
    """GIVEN records and media WHEN `liuhen ledger export --all` THEN the bundle verifies offline;
    a document row changed in the database shows up in the next export as a missing document body."""
    call_command(
        "ledger", "export", "--all", str(tmp_path / "b1"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert verify_bundle(tmp_path / "b1") == []
    files = set(os.listdir(tmp_path / "b1" / "files" / "sha256"))
    assert world["document"].body_sha256 in files and world["media"][0].sha256 in files
    drop_triggers("cases_document")
    sql("UPDATE cases_document SET fields = %s WHERE id = %s", ['{"x": "forged"}', world["document"].pk])
    call_command(
        "ledger", "export", "--all", str(tmp_path / "b2"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    problems = {(p.kind, p.object) for p in verify_bundle(tmp_path / "b2")}
    assert ("file missing", f"files/sha256/{world['document'].body_sha256}") in problems


def test_given_a_case_export_when_written_then_it_holds_that_case_files_and_says_its_scope(world, tmp_path):
    """GIVEN two cases WHEN one case is exported THEN only its files are copied and the manifest names the scope."""
    other = make_case(world["user"])
    other_doc = make_document(other, world["user"])
    call_command(
        "ledger",
        "export",
        "--case",
        world["case"].case_no,
        str(tmp_path / "c"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    files = set(os.listdir(tmp_path / "c" / "files" / "sha256"))
    assert world["document"].body_sha256 in files and other_doc.body_sha256 not in files
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["scope"] == {"case": world["case"].case_no}
    assert "python3 -m liuhen.tlog.verify .. --key" in (tmp_path / "c" / "README.txt").read_text()
    assert verify_bundle(tmp_path / "c") == []  # the verifier checks the files of the exported case only
    next(
        p for p in (tmp_path / "c" / "files" / "sha256").iterdir() if p.name == world["document"].body_sha256
    ).unlink()
    assert {(p.kind, p.object) for p in verify_bundle(tmp_path / "c")} == {
        ("file missing", f"files/sha256/{world['document'].body_sha256}")
    }


def test_given_footage_linked_to_a_case_when_the_case_is_exported_then_the_file_is_in_it_and_checked(
    world, tmp_path
):
    """GIVEN footage stored without a case, then linked to the case, and a second clip linked and the
    link withdrawn WHEN the case is exported THEN both files are in the bundle (each link's entry names its
    file), the verifier accepts it, and a damaged linked file is reported."""
    from liuhen.evidence.services.assignments import media_assign, media_assignment_withdraw

    user, case = world["user"], world["case"]
    linked = make_media(None, user, tmp_path, b"docked footage " * 200)
    withdrawn = make_media(None, user, tmp_path, b"wrong case " * 300)
    media_assign(media=linked, case=case, by=user)
    media_assignment_withdraw(
        assignment=media_assign(media=withdrawn, case=case, by=user), by=user, reason="错案"
    )
    dest = tmp_path / "linked"

    call_command(
        "ledger", "export", "--case", case.case_no, str(dest), stdout=io.StringIO(), stderr=io.StringIO()
    )

    folder = dest / "files" / "sha256"
    assert {linked.sha256, withdrawn.sha256} <= set(os.listdir(folder))
    assert verify_bundle(dest) == []
    os.chmod(folder / linked.sha256, 0o644)
    (folder / linked.sha256).write_bytes(b"cut")
    assert {(p.kind, p.object) for p in verify_bundle(dest)} == {
        ("file corrupted", f"files/sha256/{linked.sha256}")
    }
