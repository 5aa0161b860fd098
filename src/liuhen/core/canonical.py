"""Canonical JSON bytes for ledger entries and document bodies.

Deterministic: keys sorted, UTF-8 (no ASCII escaping), no insignificant whitespace, and no floats
(their text form is not stable across implementations; amounts are decimal strings).
"""

from __future__ import annotations

import json
from typing import Any


class NotCanonicalizable(TypeError):
    """Raised for values that have no canonical form (floats, sets, arbitrary objects)."""


def _check(value: Any, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return
    if isinstance(value, float):
        raise NotCanonicalizable(f"{path}: floats are not allowed in canonical JSON")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonicalizable(f"{path}: object keys must be strings")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    raise NotCanonicalizable(f"{path}: {type(value).__name__} is not a JSON value")


def canonical_bytes(value: Any) -> bytes:
    """Return the canonical UTF-8 JSON encoding of ``value``."""
    _check(value, "$")
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def canonical_loads(data: bytes) -> Any:
    """Parse canonical bytes, refusing input that is not itself canonical."""
    value = json.loads(data.decode("utf-8"), parse_float=_refuse_float)
    if canonical_bytes(value) != data:
        raise NotCanonicalizable("input is not in canonical form")
    return value


def _refuse_float(text: str) -> Any:
    raise NotCanonicalizable(f"float {text!r} is not allowed in canonical JSON")
