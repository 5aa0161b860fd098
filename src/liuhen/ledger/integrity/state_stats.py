"""The rows of issue #14 (stats) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` like :mod:`.state_access`.

Nothing is tracked, on purpose: the statistics tables (:class:`liuhen.stats.models.CaseTag`,
:class:`liuhen.stats.models.Counter`) hold derived data, not records. Every row is recomputed from the
cases' append-only records by ``liuhen stats rebuild``, so a counter changed behind the services' back
is repaired by a rebuild rather than detected by ``liuhen verify``; no service writes a ledger entry
for them."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked

TRACKED: tuple[Tracked, ...] = ()
STATE_ACTIONS: frozenset[str] = frozenset()
