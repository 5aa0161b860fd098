"""Witness core: accept a new checkpoint only if it is signed and consistent with the last one seen.

State is the text of the last accepted signed checkpoint note (or ``None`` before the first). The
network part is :func:`fetch`, a tiny urllib helper the CLI can use.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterable, Sequence

from . import merkle
from .checkpoint import Checkpoint, open_checkpoint
from .note import Signer, Verifier, add_signature


class WitnessError(ValueError):
    """The new checkpoint is not acceptable; ``kind`` is ``bad signature``, ``rollback`` or ``fork``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def update(
    *,
    state: str | None,
    new_note: str,
    proof: Sequence[bytes],
    verifiers: Iterable[Verifier],
    origin: str | None = None,
) -> str:
    """Verify ``new_note`` and its consistency with ``state``; return the new state (the newer note).

    A same-size checkpoint with the same root keeps the state; a smaller size is a ``rollback``;
    a different root at the same size, or a failed consistency proof, is a ``fork``.
    """
    keys = list(verifiers)
    try:
        new, _ = open_checkpoint(new_note, keys, origin=origin)
        old: Checkpoint | None = open_checkpoint(state, keys, origin=origin)[0] if state else None
    except ValueError as exc:
        raise WitnessError("bad signature", str(exc)) from exc
    if old is None or old.size == 0:
        return new_note
    if new.origin != old.origin:
        raise WitnessError("bad signature", f"origin changed from {old.origin!r} to {new.origin!r}")
    if new.size < old.size:
        raise WitnessError("rollback", f"tree size went from {old.size} back to {new.size}")
    try:
        merkle.verify_consistency(
            old=old.size, new=new.size, old_root=old.root_hash, new_root=new.root_hash, proof=proof
        )
    except merkle.ProofError as exc:
        raise WitnessError("fork", f"size {new.size} is not consistent with size {old.size}: {exc}") from exc
    return state if new.size == old.size and state is not None else new_note


def cosign(note: str, witness: Signer, *, timestamp: int) -> str:
    """Add this witness's cosignature/v1 line to a checkpoint it has accepted."""
    return add_signature(note, witness, timestamp=timestamp)


def fetch(url: str, *, timeout: float = 30.0, limit: int = 64 * 1024 * 1024) -> bytes:
    """GET ``url`` (http/https only) and return at most ``limit`` bytes of the body."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("only http(s) URLs can be fetched")
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - scheme checked above
        data = response.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{url} returned more than {limit} bytes")
    return data
