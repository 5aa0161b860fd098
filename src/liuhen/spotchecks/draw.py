"""The draw of a spot check, as pure functions of the Python standard library (anyone can recompute it).

* seed = SHA-256( checkpoint root hash (32 bytes) ‖ the check's number (UTF-8) )
* each key of the population (the cases in scope, by their case number) is ranked by
  SHA-256( seed ‖ key (UTF-8) ); the k keys with the lowest rank are the sample, lowest first
* the population is fixed by the SHA-256 of its sorted keys, one per line (``"\\n".join``, UTF-8)

The checkpoint is signed and issued after the check's announcement was appended to the log, so
nobody knows the seed when the scope is fixed, and nobody can choose it afterwards::

    import hashlib
    seed = hashlib.sha256(bytes.fromhex(root_hex) + number.encode()).digest()
    ranked = sorted(keys, key=lambda k: hashlib.sha256(seed + k.encode()).digest())
    sample = ranked[:k]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def seed_of(root: bytes, number: str) -> bytes:
    """The draw's seed: SHA-256 over the checkpoint's root hash and the check's number."""
    return hashlib.sha256(root + number.encode("utf-8")).digest()


def rank(seed: bytes, key: str) -> bytes:
    return hashlib.sha256(seed + key.encode("utf-8")).digest()


def sample(seed: bytes, keys: list[str], k: int) -> list[str]:
    """The ``k`` keys of lowest rank (all of them when there are fewer), lowest first."""
    if k < 0:
        raise ValueError("k must not be negative")
    unique = sorted(set(keys))
    return sorted(unique, key=lambda key: (rank(seed, key), key))[:k]


def population_digest(keys: Iterable[str]) -> str:
    """SHA-256 (hex) of the sorted keys, one per line."""
    return hashlib.sha256("\n".join(sorted(keys)).encode("utf-8")).hexdigest()
