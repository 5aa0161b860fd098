"""Shared helpers for the tlog tests: where the public test vectors live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def vectors_dir() -> Path:
    """The shared test-vector folder: $LIUHEN_TESTVECTORS, else ``<repo>/../shared/testvectors``."""
    env = os.environ.get("LIUHEN_TESTVECTORS")
    if env:
        return Path(env)
    return Path(__file__).parents[2].parent / "shared" / "testvectors"


def require_vectors(*parts: str) -> Path:
    """Return the vector path, or skip the test with a message saying what is missing."""
    path = vectors_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"test vectors not found at {path} (set LIUHEN_TESTVECTORS to the testvectors folder)")
    return path
