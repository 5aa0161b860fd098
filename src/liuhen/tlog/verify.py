"""Offline verifier for an export bundle (layout in :mod:`liuhen.tlog.bundle`). Standard library only.

Run ``python -m liuhen.tlog.verify BUNDLE [--key VKEY]... [--keys FILE]``: exit status 0 when every
check holds, 1 otherwise with one line per problem (``<kind>: <object>: <detail>``), 2 on bad usage.

What is checked: each checkpoint's signature by a trusted key (``bad signature``); checkpoints in
file order never shrink and all describe one tree (``inconsistent checkpoints``); the entries'
Merkle roots equal the signed roots; when they do not, the exported leaf hashes (once they match
the signed root) say which entries were ``modified``, ``missing``, ``extra`` or ``reordered``; every
referenced content file exists (``file missing``) with the right size and SHA-256
(``file corrupted``) — unless a later entry records its approved destruction (``archive.content_destroyed``,
a 销毁清册), when its absence is reported as such and is no problem; no unreferenced files (``extra``).
Without ``--key``/``--keys`` the keys shipped in
the bundle are trusted, and the verifier prints their ids so they can be compared with the published ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import bundle, merkle
from .checkpoint import Checkpoint, open_checkpoint
from .note import NoteError, Verifier, parse_verifier_key

KINDS = (
    "modified",
    "missing",
    "extra",
    "reordered",
    "file corrupted",
    "file missing",
    "bad signature",
    "inconsistent checkpoints",
)


@dataclass(frozen=True)
class Problem:
    """One finding: what kind of problem, about which object, and a human explanation."""

    kind: str
    object: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.object}: {self.detail}"


@dataclass
class Report:
    """Everything the verifier found, plus counts for the summary line."""

    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    checkpoints: int = 0
    files: int = 0
    key_ids: list[str] = field(default_factory=list)
    scope_case: str | None = None  # a per-case bundle: files are checked for that case's entries only
    destroyed: dict[str, str] = field(default_factory=dict)  # SHA-256 -> 销毁清册 number, absent on purpose

    def add(self, kind: str, obj: str, detail: str) -> None:
        self.problems.append(Problem(kind, obj, detail))


def verify_bundle(path: Path | str, *, trusted_keys: Sequence[str] | None = None) -> list[Problem]:
    """Verify the bundle at ``path``; an empty list means every check held."""
    return check_bundle(path, trusted_keys=trusted_keys).problems


def check_bundle(path: Path | str, *, trusted_keys: Sequence[str] | None = None) -> Report:
    """Like :func:`verify_bundle` but also returns the counts shown by the command line."""
    root, report = Path(path), Report()
    verifiers = _load_verifiers(root, trusted_keys, report)
    checkpoints = _load_checkpoints(root, verifiers, _manifest_origin(root, report), report)
    report.scope_case = _manifest_scope_case(root)
    entries = bundle.read_entries(root) if (root / bundle.ENTRIES).is_file() else []
    if not (root / bundle.ENTRIES).is_file():
        report.add("missing", bundle.ENTRIES, "the entries file is absent")
    report.entries, report.checkpoints = len(entries), len(checkpoints)
    _check_entries(root, entries, checkpoints, report)
    _check_files(root, entries, report)
    return report


def _manifest_scope_case(root: Path) -> str | None:
    """The case a per-case export covers (``"scope": {"case": NO}``), else ``None``: the whole log."""
    try:
        manifest = json.loads((root / bundle.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    scope = manifest.get("scope") if isinstance(manifest, dict) else None
    case = scope.get("case") if isinstance(scope, dict) else None
    return case if isinstance(case, str) else None


def _manifest_origin(root: Path, report: Report) -> str | None:
    try:
        manifest = json.loads((root / bundle.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report.add("missing", bundle.MANIFEST, "manifest is absent or not JSON")
        return None
    origin = manifest.get("origin") if isinstance(manifest, dict) else None
    return origin if isinstance(origin, str) else None


def _load_verifiers(root: Path, trusted_keys: Sequence[str] | None, report: Report) -> list[Verifier]:
    if trusted_keys is None:
        if not (root / bundle.VERIFIERS).is_file():
            report.add("missing", bundle.VERIFIERS, "no verifier keys in the bundle and none given")
            return []
        trusted_keys = bundle.read_verifier_keys(root / bundle.VERIFIERS)
    verifiers = []
    for line in trusted_keys:
        try:
            verifiers.append(parse_verifier_key(line))
        except NoteError as exc:
            report.add("bad signature", f"key {line[:40]!r}", str(exc))
    report.key_ids = [f"{v.name}+{v.key_id.hex()}" for v in verifiers]
    return verifiers


def _load_checkpoints(
    root: Path, verifiers: list[Verifier], origin: str | None, report: Report
) -> list[tuple[str, Checkpoint]]:
    accepted: list[tuple[str, Checkpoint]] = []
    for path in bundle.checkpoint_files(root):
        name = f"{bundle.CHECKPOINTS}/{path.name}"
        try:
            cp, _ = open_checkpoint(path.read_text(encoding="utf-8"), verifiers, origin=origin)
        except (ValueError, UnicodeDecodeError) as exc:
            report.add("bad signature", name, str(exc))
            continue
        origin = cp.origin
        if accepted and cp.size < accepted[-1][1].size:
            report.add(
                "inconsistent checkpoints",
                name,
                f"size {cp.size} is smaller than the earlier {accepted[-1][1].size} (rollback)",
            )
        accepted.append((name, cp))
    if not accepted:
        report.add("missing", bundle.CHECKPOINTS, "no checkpoint signed by a trusted key")
    return accepted


def _root(store: merkle.MemoryHashStore, size: int) -> bytes | None:
    return merkle.tree_root(store, size) if size <= store.size else None


def _check_entries(
    root: Path, entries: list[bytes], checkpoints: list[tuple[str, Checkpoint]], report: Report
) -> None:
    if not checkpoints:
        return
    sha = hashlib.sha256
    hashes = [sha(b"\x00" + raw).digest() for raw in entries]
    store = merkle.MemoryHashStore.from_leaf_hashes(hashes)
    anchor_name, anchor = checkpoints[-1]
    if _root(store, anchor.size) == anchor.root_hash:
        _report_forks(store, checkpoints, report)
        for pos in range(anchor.size, len(entries)):
            report.add(
                "extra", f"entries.jsonl line {pos + 1}", f"not covered by the last checkpoint {anchor_name}"
            )
        return
    exported = bundle.read_leaf_hashes(root)
    exported_store = merkle.MemoryHashStore.from_leaf_hashes(exported or [])
    if exported is not None and _root(exported_store, anchor.size) == anchor.root_hash:
        _report_forks(exported_store, checkpoints, report)
        _diagnose(entries, hashes, exported[: anchor.size], report)
        return
    if exported is not None:
        report.add("modified", bundle.LEAF_HASHES, f"does not match the signed root of {anchor_name}")
    _fallback(entries, store, checkpoints, report)


def _report_forks(
    store: merkle.MemoryHashStore, checkpoints: list[tuple[str, Checkpoint]], report: Report
) -> None:
    anchor_name, anchor = checkpoints[-1]
    for name, cp in checkpoints[:-1]:
        if _root(store, cp.size) != cp.root_hash:
            report.add(
                "inconsistent checkpoints",
                name,
                f"root at size {cp.size} is not a prefix of {anchor_name} (fork)",
            )


def _index_field(raw: bytes) -> int | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    index = value.get("index") if isinstance(value, dict) else None
    return index if isinstance(index, int) and not isinstance(index, bool) else None


def _diagnose(entries: list[bytes], hashes: list[bytes], signed: list[bytes], report: Report) -> None:
    """Name each entry that differs from the signed leaf hashes (which are authenticated)."""
    where = {h: i for i, h in enumerate(signed)}
    matched: set[int] = set()
    unknown: list[int] = []
    highest = -1
    for pos, h in enumerate(hashes):
        index = where.get(h)
        if index is None:
            unknown.append(pos)
        elif index in matched:
            report.add("extra", f"entries.jsonl line {pos + 1}", f"a second copy of entry {index}")
        else:
            matched.add(index)
            if index < highest:
                report.add("reordered", f"entry {index}", f"found at line {pos + 1}, after entry {highest}")
            highest = max(highest, index)
    modified: set[int] = set()
    for pos in unknown:
        index = _index_field(entries[pos])
        if index is not None and 0 <= index < len(signed) and index not in matched | modified:
            modified.add(index)
            report.add("modified", f"entry {index}", f"line {pos + 1} differs from the signed leaf")
        else:
            report.add("extra", f"entries.jsonl line {pos + 1}", "not part of the signed log")
    for index in sorted(set(range(len(signed))) - matched - modified):
        report.add("missing", f"entry {index}", "signed leaf with no matching entry in the bundle")


def _fallback(
    entries: list[bytes],
    store: merkle.MemoryHashStore,
    checkpoints: list[tuple[str, Checkpoint]],
    report: Report,
) -> None:
    """Without trustworthy leaf hashes: narrow the damage down with the checkpoints and index fields."""
    good = max((cp.size for _, cp in checkpoints if _root(store, cp.size) == cp.root_hash), default=0)
    for name, cp in checkpoints:
        if _root(store, cp.size) != cp.root_hash:
            report.add(
                "modified", f"entries {good}..{cp.size - 1}", f"do not reproduce the signed root of {name}"
            )
    for pos, raw in enumerate(entries):
        index = _index_field(raw)
        if index != pos:
            kind = "modified" if index is None else ("extra" if index < pos else "missing")
            report.add(kind, f"entries.jsonl line {pos + 1}", f"holds index {index}, expected {pos}")
            return  # after the first shift every later line is off; one finding says where it starts


def _check_files(root: Path, entries: list[bytes], report: Report) -> None:
    refs: dict[str, int] = {}
    for raw in entries:
        if b'"contents"' in raw:
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(entry, dict):
                continue
            report.destroyed.update(bundle.destroyed_refs(entry))
            if report.scope_case is None or entry.get("case") == report.scope_case:
                refs.update(bundle.content_refs(entry))
    folder = root / bundle.FILES
    for hex_digest, size in sorted(refs.items()):
        path = folder / hex_digest
        name = f"{bundle.FILES}/{hex_digest}"
        if not path.is_file():
            if hex_digest not in report.destroyed:
                report.add("file missing", name, "referenced by an entry but absent")
        elif path.stat().st_size != size or bundle.file_sha256(path) != hex_digest:
            report.add("file corrupted", name, "size or SHA-256 differs from the entry's reference")
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    for extra in sorted(present - refs.keys()):
        report.add("extra", f"{bundle.FILES}/{extra}", "not referenced by any entry")
    report.files = len(refs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.tlog.verify", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--key", action="append", default=[], help="trusted verifier key line (repeatable)")
    parser.add_argument("--keys", type=Path, help="file of trusted verifier key lines")
    args = parser.parse_args(argv)
    keys = list(args.key) + (bundle.read_verifier_keys(args.keys) if args.keys else [])
    report = check_bundle(args.bundle, trusted_keys=keys or None)
    for problem in report.problems:
        print(problem)
    for hex_digest, number in sorted(report.destroyed.items()):
        print(f"destroyed by approval (销毁清册 No. {number}): {bundle.FILES}/{hex_digest}")
    trusted = "given" if keys else "shipped in the bundle (compare with the published keys!)"
    scope = f"files of case {report.scope_case}" if report.scope_case else "files"
    summary = (
        f"{report.entries} entries, {report.checkpoints} signed checkpoints, {report.files} {scope}; "
        f"keys {trusted}: {', '.join(report.key_ids) or 'none'}"
    )
    print(("FAILED: " if report.problems else "OK: ") + summary, file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
