"""The offline bundle verifier: an intact bundle passes; each kind of tampering is named."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liuhen.core.canonical import canonical_bytes
from liuhen.tlog import bundle, merkle, note, verify
from liuhen.tlog.checkpoint import Checkpoint, sign_checkpoint

ORIGIN = "liuhen.example/ledger"
OLD_KEY = note.generate_signer(ORIGIN)
NEW_KEY = note.generate_signer(ORIGIN)  # rotated key, same name


def _file(i: int) -> bytes:
    return f"evidence photo {i}".encode() * 10


def _entries(n: int = 20, *, first_word: str = "case_open") -> list[bytes]:
    out = []
    for i in range(n):
        body = _file(i)
        contents = (
            [{"sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "kind": "media"}]
            if i % 3 == 0
            else []
        )
        out.append(
            canonical_bytes(
                {"index": i, "action": first_word if i == 0 else f"step {i}", "contents": contents}
            )
        )
    return out


def _checkpoint(entries: list[bytes], size: int, signer: note.Signer) -> str:
    root = merkle.root_from_leaves([merkle.leaf_hash(e) for e in entries[:size]])
    return sign_checkpoint(Checkpoint(ORIGIN, size, root), signer)


def _make(dest: Path, entries: list[bytes] | None = None, checkpoints: list[str] | None = None) -> Path:
    entries = entries or _entries()
    if checkpoints is None:
        checkpoints = [
            _checkpoint(entries, 5, OLD_KEY),
            _checkpoint(entries, 12, OLD_KEY),
            _checkpoint(entries, 20, NEW_KEY),
        ]
    files = {hashlib.sha256(_file(i)).hexdigest(): _file(i) for i in range(0, len(entries), 3)}
    bundle.write_bundle(
        dest,
        origin=ORIGIN,
        entries=entries,
        checkpoints=checkpoints,
        verifier_keys=[OLD_KEY.verifier().vkey(), NEW_KEY.verifier().vkey()],
        files=files,
        created_at="2026-05-01T00:00:00+08:00",
    )
    return dest


def _rewrite_entries(root: Path, change) -> None:
    lines = bundle.read_entries(root)
    change(lines)
    (root / bundle.ENTRIES).write_bytes(b"".join(line + b"\n" for line in lines))


def _kinds(problems) -> set[tuple[str, str]]:
    return {(p.kind, p.object) for p in problems}


@pytest.fixture
def good(tmp_path) -> Path:
    return _make(tmp_path / "bundle")


def test_given_an_intact_bundle_when_verified_then_no_problem_and_exit_zero(good, capsys):
    assert verify.verify_bundle(good) == []
    assert verify.main([str(good)]) == 0
    assert "OK: 20 entries, 3 signed checkpoints, 7 files" in capsys.readouterr().err


def test_given_one_entry_changed_when_verified_then_that_entry_is_named_modified(good, capsys):
    _rewrite_entries(good, lambda lines: lines.__setitem__(7, lines[7].replace(b"step 7", b"step 8")))
    assert _kinds(verify.verify_bundle(good)) == {("modified", "entry 7")}
    assert verify.main([str(good)]) == 1
    assert capsys.readouterr().out.strip() == "modified: entry 7: line 8 differs from the signed leaf"


def test_given_an_entry_removed_when_verified_then_it_is_missing(good):
    _rewrite_entries(good, lambda lines: lines.pop(4))
    assert _kinds(verify.verify_bundle(good)) == {("missing", "entry 4")}


def test_given_an_entry_inserted_when_verified_then_the_line_is_extra(good):
    fake = canonical_bytes({"index": 9, "action": "backdated", "contents": []})
    _rewrite_entries(good, lambda lines: lines.insert(9, fake))
    assert _kinds(verify.verify_bundle(good)) == {("extra", "entries.jsonl line 10")}


def test_given_two_entries_swapped_when_verified_then_reordered(good):
    def swap(lines):
        lines[10], lines[11] = lines[11], lines[10]

    _rewrite_entries(good, swap)
    assert _kinds(verify.verify_bundle(good)) == {("reordered", "entry 10")}


def test_given_entries_and_leaf_hashes_both_edited_when_verified_then_the_damaged_range_is_modified(good):
    _rewrite_entries(good, lambda lines: lines.__setitem__(15, lines[15].replace(b"step", b"STEP")))
    hashes = [merkle.leaf_hash(e) for e in bundle.read_entries(good)]
    (good / bundle.LEAF_HASHES).write_bytes(b"".join(hashes))
    kinds = _kinds(verify.verify_bundle(good))
    assert ("modified", "entries 12..19") in kinds and ("modified", bundle.LEAF_HASHES) in kinds


def test_given_an_entry_appended_after_the_last_checkpoint_when_verified_then_it_is_extra(good):
    _rewrite_entries(good, lambda lines: lines.append(canonical_bytes({"index": 20, "contents": []})))
    assert _kinds(verify.verify_bundle(good)) == {("extra", "entries.jsonl line 21")}


def test_given_a_file_flipped_or_deleted_when_verified_then_file_problems_are_named(good):
    first, second = (hashlib.sha256(_file(i)).hexdigest() for i in (0, 3))
    data = bytearray((good / bundle.FILES / first).read_bytes())
    data[5] ^= 1
    (good / bundle.FILES / first).write_bytes(bytes(data))
    (good / bundle.FILES / second).unlink()
    (good / bundle.FILES / ("0" * 64)).write_bytes(b"smuggled")
    assert _kinds(verify.verify_bundle(good)) == {
        ("file corrupted", f"{bundle.FILES}/{first}"),
        ("file missing", f"{bundle.FILES}/{second}"),
        ("extra", f"{bundle.FILES}/{'0' * 64}"),
    }


def test_given_a_checkpoint_signed_by_an_unknown_key_or_altered_when_verified_then_bad_signature(good):
    entries = bundle.read_entries(good)
    (good / bundle.checkpoint_name(2)).write_text(_checkpoint(entries, 12, note.generate_signer(ORIGIN)))
    third = (good / bundle.checkpoint_name(3)).read_text()
    (good / bundle.checkpoint_name(3)).write_text(third.replace("\n20\n", "\n21\n"))
    kinds = _kinds(verify.verify_bundle(good))
    assert ("bad signature", bundle.checkpoint_name(2)) in kinds
    assert ("bad signature", bundle.checkpoint_name(3)) in kinds


def test_given_everything_re_signed_with_a_new_key_when_verified_with_the_published_key_then_bad_signature(
    tmp_path,
):
    attacker = note.generate_signer(ORIGIN)
    entries = _entries(first_word="case_forged")
    root = _make(tmp_path / "b", entries, [_checkpoint(entries, 20, attacker)])
    (root / bundle.VERIFIERS).write_text(attacker.verifier().vkey() + "\n")
    assert verify.verify_bundle(root) == []  # self-consistent, hence the printed key ids
    problems = verify.verify_bundle(root, trusted_keys=[NEW_KEY.verifier().vkey()])
    assert ("bad signature", bundle.checkpoint_name(1)) in _kinds(problems)


def test_given_a_forked_checkpoint_when_verified_then_inconsistent_checkpoints(tmp_path):
    entries, other = _entries(), _entries(first_word="case_rewritten")
    checkpoints = [
        _checkpoint(other, 5, OLD_KEY),
        _checkpoint(entries, 12, OLD_KEY),
        _checkpoint(entries, 20, NEW_KEY),
    ]
    root = _make(tmp_path / "b", entries, checkpoints)
    assert _kinds(verify.verify_bundle(root)) == {("inconsistent checkpoints", bundle.checkpoint_name(1))}


def test_given_a_later_smaller_checkpoint_when_verified_then_rollback_is_inconsistent(tmp_path):
    entries = _entries()
    checkpoints = [
        _checkpoint(entries, 12, OLD_KEY),
        _checkpoint(entries, 5, OLD_KEY),
        _checkpoint(entries, 20, NEW_KEY),
    ]
    root = _make(tmp_path / "b", entries, checkpoints)
    assert _kinds(verify.verify_bundle(root)) == {("inconsistent checkpoints", bundle.checkpoint_name(2))}


def test_given_the_copied_verifier_when_run_without_site_packages_then_it_verifies_with_stdlib_only(good):
    """GIVEN the verifier copied into the bundle WHEN run with ``python -S`` (no cryptography, no Django)
    THEN it passes the intact bundle and fails a tampered one."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    cmd = [
        sys.executable,
        "-S",
        "-c",
        "import sys; assert 'cryptography' not in sys.modules; "
        "from liuhen.tlog import verify; sys.exit(verify.main(sys.argv[1:]))",
        "..",
    ]
    ok = subprocess.run(cmd, cwd=good / "verifier", env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    shutil.copyfile(good / bundle.checkpoint_name(1), good / bundle.checkpoint_name(9))
    bad = subprocess.run(cmd, cwd=good / "verifier", env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "inconsistent checkpoints: checkpoints/00000009.note" in bad.stdout


def test_given_the_manifest_when_read_then_it_describes_the_bundle(good):
    manifest = json.loads((good / bundle.MANIFEST).read_text())
    assert manifest["format"] == bundle.FORMAT and manifest["entries"] == 20 and manifest["origin"] == ORIGIN
