"""The witness client behind ``liuhen ledger witness``: follow a log over tlog-tiles, fail on fork/rollback.

It fetches the log's checkpoint, rebuilds the consistency proof from the log's public hash tiles
(:class:`liuhen.tlog.tiles.TileReader`), checks it against the signed roots of the checkpoint it saw
last (its state file) and the new one, and only then stores the new checkpoint. Optionally co-signs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from liuhen.tlog import merkle, witness
from liuhen.tlog.checkpoint import parse_checkpoint
from liuhen.tlog.note import Signer, parse_verifier_key, split_note
from liuhen.tlog.tiles import TileReader


@dataclass(frozen=True)
class WitnessOutcome:
    old_size: int | None
    new_size: int
    cosigned: str | None


def _size(note_text: str) -> int:
    return parse_checkpoint(split_note(note_text)[0]).size


def _save(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def witness_step(
    *,
    fetch: Callable[[str], bytes],
    state_path: Path,
    verifier_keys: Sequence[str],
    origin: str | None = None,
    cosigner: Signer | None = None,
) -> WitnessOutcome:
    """One witness round. Raises :class:`liuhen.tlog.witness.WitnessError` (kind ``rollback``, ``fork``,
    ``bad signature``) without touching the state when the log misbehaves."""
    new_note = fetch("checkpoint").decode("utf-8")
    state = state_path.read_text(encoding="utf-8") if state_path.exists() else None
    try:
        new_size = _size(new_note)
        old_size = _size(state) if state else None
    except ValueError as exc:
        raise witness.WitnessError("bad signature", f"malformed checkpoint: {exc}") from exc
    proof: list[bytes] = []
    if old_size and old_size < new_size:
        try:
            proof = merkle.consistency_proof(TileReader(fetch, new_size), old_size, new_size)
        except (KeyError, ValueError, OSError) as exc:
            raise witness.WitnessError(
                "fork", f"cannot build a consistency proof from the log's tiles: {exc}"
            ) from exc
    verifiers = [parse_verifier_key(k) for k in verifier_keys]
    accepted = witness.update(state=state, new_note=new_note, proof=proof, verifiers=verifiers, origin=origin)
    if accepted != state:
        _save(state_path, accepted)
    cosigned = witness.cosign(new_note, cosigner, timestamp=int(time.time())) if cosigner else None
    return WitnessOutcome(old_size, new_size, cosigned)


def url_fetcher(base_url: str) -> Callable[[str], bytes]:
    base = base_url.rstrip("/") + "/"
    return lambda path: witness.fetch(base + path)
