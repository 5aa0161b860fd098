"""`liuhen verify` catches every kind of tampering the issue lists (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from liuhen.archive.integrity import verify_all
from liuhen.cases import services
from liuhen.cases.models import Signature
from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.models import LedgerCheckpoint, LedgerEntry
from liuhen.ledger.tree import DatabaseHashStore
from liuhen.tlog import merkle, note
from liuhen.tlog.checkpoint import Checkpoint, sign_checkpoint
from liuhen.tlog.merkle import leaf_hash
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import append_n, blob_path, drop_triggers, make_media, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    user = make_user(make_agency(), ["officer", "handler"])
    case = make_case(user)
    document = make_document(case, user)
    media = make_media(case, user, tmp_path)
    append_n(20)
    checkpoint_issue()
    return {"user": user, "case": case, "document": document, "media": media}


def kinds(problems) -> set[tuple[str, str]]:
    return {(p.kind, p.object) for p in problems}


def verify_command() -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("verify", stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def test_given_an_untouched_installation_when_verified_then_exit_0_and_no_output(world):
    """GIVEN records, media and checkpoints WHEN `liuhen verify` runs THEN it exits 0 and prints nothing."""
    assert verify_command() == (0, [])


def test_given_a_byte_flipped_in_a_stored_file_when_verified_then_file_corrupted(world):
    """GIVEN one byte of a stored video changed WHEN verified THEN `file corrupted` names the blob."""
    path = blob_path(world["media"].sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))
    code, lines = verify_command()
    assert code == 1
    assert lines == [
        f"file corrupted: blob {world['media'].sha256}: stored bytes differ from the recorded SHA-256"
    ]


def test_given_a_stored_file_deleted_when_verified_then_file_missing(world):
    """GIVEN a stored video deleted WHEN verified THEN `file missing` names the blob."""
    blob_path(world["media"].sha256).unlink()
    assert kinds(verify_all()) == {("file missing", f"blob {world['media'].sha256}")}


def test_given_a_document_row_updated_behind_dropped_triggers_when_verified_then_modified(world):
    """GIVEN someone drops the triggers and edits a document's fields WHEN verified THEN `modified: document N`."""
    drop_triggers("cases_document")
    sql("UPDATE cases_document SET fields = %s WHERE id = %s", ['{"forged": "yes"}', world["document"].pk])
    assert kinds(verify_all()) == {("modified", f"document {world['document'].pk}")}


def test_given_a_document_row_deleted_behind_dropped_triggers_when_verified_then_missing(world):
    """GIVEN someone drops the triggers and deletes a document WHEN verified THEN `missing: document N`."""
    drop_triggers("cases_document")
    sql("DELETE FROM cases_document WHERE id = %s", [world["document"].pk])
    assert ("missing", f"document {world['document'].pk}") in kinds(verify_all())


def test_given_a_media_row_pointing_at_another_file_when_verified_then_modified(world):
    """GIVEN a media row's hash swapped WHEN verified THEN `modified: media N`."""
    drop_triggers("cases_mediarecord")
    sql("UPDATE cases_mediarecord SET sha256 = %s WHERE id = %s", ["0" * 64, world["media"].pk])
    assert ("modified", f"media {world['media'].pk}") in kinds(verify_all())


def test_given_a_ledger_row_deleted_when_verified_then_missing_entry(world):
    """GIVEN an entry row deleted behind the triggers WHEN verified THEN `missing: entry N` (and its roots break)."""
    drop_triggers("ledger_ledgerentry")
    victim = LedgerEntry.objects.order_by("index")[5].index
    sql('DELETE FROM ledger_ledgerentry WHERE "index" = %s', [victim])
    found = kinds(verify_all())
    assert ("missing", f"entry {victim}") in found
    assert any(kind == "modified" and obj.startswith("entries 0..") for kind, obj in found)


def test_given_a_ledger_row_inserted_when_verified_then_extra(world):
    """GIVEN a well-formed entry inserted past the head WHEN verified THEN `extra: entries N..N`."""
    size = LedgerEntry.objects.count()
    body = b'{"action":"forged","index":%d,"objects":{}}' % size
    sql(
        'INSERT INTO ledger_ledgerentry ("index", created_at, action, object_type, body, leaf_hash) '
        "VALUES (%s, %s, %s, %s, %s, %s)",
        [size, "2026-01-01 00:00:00", "forged", "", body, leaf_hash(body)],
    )
    assert ("extra", f"entries {size}..{size}") in kinds(verify_all())


def test_given_two_ledger_rows_swapped_when_verified_then_reordered(world):
    """GIVEN two entries' positions swapped (index column) WHEN verified THEN both are `reordered`."""
    drop_triggers("ledger_ledgerentry")
    a, b = 3, 4
    sql('UPDATE ledger_ledgerentry SET "index" = -1 WHERE "index" = %s', [a])
    sql('UPDATE ledger_ledgerentry SET "index" = %s WHERE "index" = %s', [a, b])
    sql('UPDATE ledger_ledgerentry SET "index" = %s WHERE "index" = -1', [b])
    found = kinds(verify_all())
    assert {("reordered", f"entry {a}"), ("reordered", f"entry {b}")} <= found


def test_given_an_entry_body_edited_when_verified_then_modified_entry(world):
    """GIVEN an entry's bytes edited behind the triggers WHEN verified THEN `modified: entry N`."""
    drop_triggers("ledger_ledgerentry")
    entry = LedgerEntry.objects.get(index=2)
    sql(
        'UPDATE ledger_ledgerentry SET body = %s WHERE "index" = 2',
        [bytes(entry.body).replace(b'"action":"', b'"action":"x')],
    )
    assert ("modified", "entry 2") in kinds(verify_all())


def test_given_a_forged_checkpoint_when_verified_then_bad_signature(world):
    """GIVEN a checkpoint signed by a key the log never listed WHEN verified THEN `bad signature`."""
    latest = LedgerCheckpoint.objects.order_by("-id").first()
    forger = note.generate_signer(keys.ensure_signer().name)  # same name, different key
    forged = sign_checkpoint(Checkpoint(forger.name, latest.size, bytes(latest.root_hash)), forger)
    forged_row = LedgerCheckpoint.objects.create(
        size=latest.size, root_hash=latest.root_hash, note=forged, key_id="x", created_at=latest.created_at
    )
    assert ("bad signature", f"checkpoint {forged_row.pk}") in kinds(verify_all())


def test_given_a_checkpoint_re_signed_over_a_rewritten_log_when_verified_then_caught(world):
    """GIVEN the attacker rewrites an entry and stores a checkpoint over the new root signed with a
    key of their own WHEN verified THEN both the rewritten entry and the bad signature are reported."""
    drop_triggers("ledger_ledgerentry")
    body = bytes(LedgerEntry.objects.get(index=1).body).replace(b'"action":"', b'"action":"x')
    sql('UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE "index" = 1', [body, leaf_hash(body)])
    forger = note.generate_signer(world["user"].username)
    latest = LedgerCheckpoint.objects.order_by("-id").first()
    row = LedgerCheckpoint.objects.create(
        size=latest.size,
        root_hash=b"\x00" * 32,
        note=sign_checkpoint(Checkpoint("x", latest.size, b"\x00" * 32), forger),
        key_id="x",
        created_at=latest.created_at,
    )
    found = kinds(verify_all())
    assert ("bad signature", f"checkpoint {row.pk}") in found
    assert ("modified", "node 1/0") in found
    assert any(kind == "modified" and obj.startswith("entries 0..") for kind, obj in found)


def test_given_a_checkpoint_smaller_than_its_predecessor_when_verified_then_inconsistent(world):
    """GIVEN a validly signed checkpoint for a smaller size stored after a larger one (a restored
    signer replaying an old tree head) WHEN verified THEN `inconsistent checkpoints`."""
    latest = LedgerCheckpoint.objects.order_by("-id").first()
    size = latest.size - 3
    root = merkle.tree_root(DatabaseHashStore(), size)
    stale = sign_checkpoint(Checkpoint(keys.ensure_signer().name, size, root), keys.ensure_signer())
    row = LedgerCheckpoint.objects.create(
        size=size, root_hash=root, note=stale, key_id="x", created_at=latest.created_at
    )
    assert kinds(verify_all()) == {("inconsistent checkpoints", f"checkpoint {row.pk}")}


def test_given_a_record_row_inserted_around_the_services_when_verified_then_extra(world):
    """GIVEN a signature row inserted without a ledger entry WHEN verified THEN `extra: signature N`."""
    signature = services.document_sign(
        document=world["document"],
        recorded_by=world["user"],
        signer_role="party",
        signer_name="王某某",
        method="electronic",
    )
    row = Signature.objects.filter(pk=signature.pk).values().get()
    row.pop("id")
    Signature.objects.create(**row)  # straight into the table, no service, no entry
    extra = Signature.objects.order_by("-id").first().pk
    assert kinds(verify_all()) == {("extra", f"signature {extra}")}
