"""Private key files written safely: mode 0600 from the first byte, atomically, race-safe.

Shared by the ledger's signing key and the document-sealing CA, both of which may be created by two
processes at once (two ``migrate`` runs, two gunicorn workers sealing their first document)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes | str, *, exclusive: bool = False) -> bool:
    """Write ``data`` to ``path`` with mode 0600 from the start, atomically, through a temporary file
    of this process's own, so no reader ever sees a half-written or world-readable key.

    With ``exclusive`` an existing ``path`` wins: nothing is written and ``False`` is returned, so two
    processes creating the same key at once agree on one of them."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")  # mode 0600
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if not exclusive:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)
