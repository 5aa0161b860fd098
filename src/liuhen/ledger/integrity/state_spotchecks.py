"""The rows of issue #14 (spotchecks) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` like :mod:`.state_access`."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked

TRACKED: tuple[Tracked, ...] = ()
STATE_ACTIONS: frozenset[str] = frozenset()
