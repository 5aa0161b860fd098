"""Check a Liuhen receipt offline: ``python -m liuhen.tlog.receipt RECEIPT --key VKEY [--file F]...``.

Pure Python, standard library only (no Django): a receipt is a ``c2sp.org/tlog-proof@v1`` text whose
``extra`` line carries the entry's own canonical bytes. It holds when the checkpoint is signed by the
given verifier key, the entry is included under the checkpoint's root, and (optionally) each given
file — a media file, or a document body — has a SHA-256 the entry lists in its ``contents``.
Exit 0 with a summary; exit 1 with one line per problem.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from liuhen.tlog.note import parse_verifier_key
from liuhen.tlog.proof import parse_proof, verify_proof


def check_receipt(text: str, verifier_keys: Sequence[str], files: Sequence[bytes] = ()) -> dict[str, Any]:
    """Verify a receipt; return the entry (parsed JSON). Raises ``ValueError`` naming the problem."""
    parsed = parse_proof(text)
    if parsed.extra is None:
        raise ValueError("receipt carries no entry (no 'extra' line)")
    verifiers = [parse_verifier_key(k) for k in verifier_keys]
    checkpoint, _ = verify_proof(text, entry=parsed.extra, verifiers=verifiers)
    entry = json.loads(parsed.extra)
    if not isinstance(entry, dict) or entry.get("index") != parsed.index:
        raise ValueError("the entry's index field does not match the proven index")
    listed = {c.get("sha256") for c in entry.get("contents", []) if isinstance(c, dict)}
    for number, data in enumerate(files, start=1):
        digest = hashlib.sha256(data).hexdigest()
        if digest not in listed:
            raise ValueError(f"file {number} (SHA-256 {digest}) is not among the entry's contents")
    entry["_checkpoint_size"] = checkpoint.size
    return entry


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.tlog.receipt", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("receipt", type=Path, help="the receipt (tlog-proof text)")
    parser.add_argument(
        "--key", action="append", required=True, help="the agency's verifier key (repeatable)"
    )
    parser.add_argument("--file", action="append", type=Path, default=[], help="a file the entry must list")
    args = parser.parse_args(argv)
    try:
        files = [path.read_bytes() for path in args.file]
        entry = check_receipt(args.receipt.read_text(encoding="utf-8"), args.key, files)
    except (OSError, ValueError) as exc:
        print(f"receipt invalid: {exc}")
        return 1
    print(
        f"OK: entry {entry['index']} ({entry.get('action')}, {entry.get('time')}, case {entry.get('case')}) "
        f"is in the signed log of size {entry['_checkpoint_size']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
