"""Injectable time. Services call :func:`now`; tests freeze or move it with :func:`frozen`.

No Django: the rule engine and deadline code take ``now`` as a parameter, and this module is the one
place the running system reads the wall clock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_provider: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return _provider()


def set_provider(provider: Callable[[], datetime]) -> None:
    global _provider
    _provider = provider


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[Callable[[datetime], None]]:
    """Freeze :func:`now` at ``at`` inside the block; the yielded function moves the clock."""
    if at.tzinfo is None:
        raise ValueError("frozen time must be timezone-aware")
    global _provider
    previous = _provider
    state = {"at": at}
    _provider = lambda: state["at"]  # noqa: E731

    def move(to: datetime) -> None:
        state["at"] = to

    try:
        yield move
    finally:
        _provider = previous


def local_text(at: datetime) -> str:
    """A moment as people read it here: Beijing time to the minute (``2026-11-30 21:40``)."""
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
