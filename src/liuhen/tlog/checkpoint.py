"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint): parse and format, strictly.

A checkpoint text is: origin line, tree size (ASCII decimal, no leading zeros), base64 root hash,
then optional non-empty extension lines; every line ends with a newline.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import note as note_mod

_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")


class CheckpointError(ValueError):
    """The text is not a well-formed checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    """A Merkle tree head: who (origin), how many leaves (size), which root hash, and extensions."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The note text to sign (validated)."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode(), *self.extensions]
        body = "".join(line + "\n" for line in lines)
        parse_checkpoint(body)
        return body


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body (the note text, without signatures)."""
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root hash lines")
    origin, size, root, *extensions = lines
    if not origin or any(ord(ch) < 0x20 for ch in text.replace("\n", "")):
        raise CheckpointError("checkpoint origin must be a non-empty line without control characters")
    if not _SIZE.fullmatch(size) or int(size) >= 2**64:
        raise CheckpointError(f"checkpoint size {size!r} is not a canonical decimal")
    try:
        root_hash = base64.b64decode(root, validate=True)
    except binascii.Error as exc:
        raise CheckpointError("checkpoint root hash is not base64") from exc
    if len(root_hash) != 32 or base64.b64encode(root_hash).decode() != root:
        raise CheckpointError("checkpoint root hash must be 32 bytes in canonical base64")
    if any(not line for line in extensions):
        raise CheckpointError("checkpoint extension lines must be non-empty")
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))


def open_checkpoint(
    signed: str, verifiers: Iterable[note_mod.Verifier], *, origin: str | None = None
) -> tuple[Checkpoint, list[note_mod.NoteSignature]]:
    """Verify a signed checkpoint note and parse its body; optionally insist on the origin."""
    text, signatures = note_mod.open_note(signed, verifiers)
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint is for origin {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint, signatures


def sign_checkpoint(checkpoint: Checkpoint, signer: note_mod.Signer) -> str:
    """Sign a checkpoint as a note (the log's signature)."""
    return note_mod.sign_note(checkpoint.text(), signer)
