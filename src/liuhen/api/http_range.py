"""HTTP Range (RFC 9110 §14) for a single byte range — what media players and download resumes send."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)\Z")  # ASCII digits only


class UnsatisfiableRange(ValueError):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the half-open ``(start, end)`` asked for, ``None`` for the whole file.

    Multi-range requests are answered with the whole file (allowed by the RFC).
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            raise UnsatisfiableRange(header)
        return max(size - length, 0), size
    start = int(first)
    end = size if last == "" else min(int(last) + 1, size)
    if start >= size or end <= start:
        raise UnsatisfiableRange(header)
    return start, end
