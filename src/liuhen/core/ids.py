"""Record ids typed by people or programs: ASCII digits only, and small enough for a 64-bit key.

``str.isdigit`` also passes ``١`` and ``²`` (``int("١")`` is 1), and an id beyond 2**63 - 1 overflows
the database (SQLite: "Python int too large", PostgreSQL: out of range) — both were 500s.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """The id ``text`` names, or ``None`` when it names none (not ASCII digits, zero, or too large)."""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
