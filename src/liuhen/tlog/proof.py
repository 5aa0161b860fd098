"""``c2sp.org/tlog-proof@v1`` text proofs (https://c2sp.org/tlog-proof): one entry's offline proof.

Layout::

    c2sp.org/tlog-proof@v1
    [extra <base64>]
    index <N>
    <base64 inclusion-proof hash>     (zero or more, leaf's sibling first)

    <signed checkpoint note, verbatim>
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import merkle
from .checkpoint import Checkpoint, open_checkpoint
from .note import NoteSignature, Verifier

HEADER = "c2sp.org/tlog-proof@v1"
_INDEX = re.compile(r"index (0|[1-9][0-9]*)")


class ProofFormatError(ValueError):
    """The proof text is malformed."""


@dataclass(frozen=True)
class TlogProof:
    """Parsed proof: entry index, inclusion hashes, the signed checkpoint note and optional extra data."""

    index: int
    hashes: tuple[bytes, ...]
    checkpoint_note: str
    extra: bytes | None = None


def format_proof(
    *, index: int, hashes: Sequence[bytes], checkpoint_note: str, extra: bytes | None = None
) -> str:
    """Render a proof in the c2sp.org/tlog-proof@v1 text format."""
    lines = [HEADER]
    if extra is not None:
        lines.append("extra " + base64.b64encode(extra).decode())
    lines.append(f"index {index}")
    lines.extend(base64.b64encode(h).decode() for h in hashes)
    return "\n".join(lines) + "\n\n" + checkpoint_note


def _hash_line(line: str) -> bytes:
    try:
        value = base64.b64decode(line, validate=True)
    except binascii.Error as exc:
        raise ProofFormatError(f"proof hash {line!r} is not base64") from exc
    if len(value) != merkle.HASH_SIZE:
        raise ProofFormatError(f"proof hash {line!r} is not 32 bytes")
    return value


def parse_proof(text: str) -> TlogProof:
    """Parse proof text (strict: header, optional extra, canonical index, 32-byte hashes)."""
    head, sep, checkpoint_note = text.partition("\n\n")
    if not sep:
        raise ProofFormatError("proof has no blank line before its checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise ProofFormatError(f"proof must start with {HEADER!r}")
    rest, extra = lines[1:], None
    if rest and rest[0].startswith("extra "):
        try:
            extra = base64.b64decode(rest.pop(0)[6:], validate=True)
        except binascii.Error as exc:
            raise ProofFormatError("extra data is not base64") from exc
    match = _INDEX.fullmatch(rest[0]) if rest else None
    if match is None:
        raise ProofFormatError("proof needs an 'index N' line")
    hashes = tuple(_hash_line(line) for line in rest[1:])
    return TlogProof(int(match[1]), hashes, checkpoint_note, extra)


def verify_proof(
    proof_text: str,
    *,
    entry: bytes | None = None,
    leaf: bytes | None = None,
    verifiers: Iterable[Verifier],
    origin: str | None = None,
) -> tuple[Checkpoint, list[NoteSignature]]:
    """Check the checkpoint's signature, then the entry's inclusion under its root.

    Give the entry bytes (``entry``; hashed as an RFC 9162 leaf) or the leaf hash (``leaf``).
    Raises ``NoteError``/``CheckpointError``/``ProofError``/``ProofFormatError`` on any failure.
    """
    if (entry is None) == (leaf is None):
        raise ValueError("give exactly one of entry= or leaf=")
    parsed = parse_proof(proof_text)
    checkpoint, signatures = open_checkpoint(parsed.checkpoint_note, verifiers, origin=origin)
    merkle.verify_inclusion(
        leaf=merkle.leaf_hash(entry) if entry is not None else leaf or b"",
        index=parsed.index,
        size=checkpoint.size,
        proof=parsed.hashes,
        root=checkpoint.root_hash,
    )
    return checkpoint, signatures
