"""The log's own integrity (:mod:`.log`: entries, tree, checkpoints) and the state every tracked row
leaves in its ledger entry (:mod:`.state`, used by the services on the append path).

The checks of the records and the stored files against the log, and ``liuhen verify`` as a whole,
belong to the archive (:mod:`liuhen.archive.integrity`); the log keeps only itself.
"""

from __future__ import annotations

from liuhen.ledger.integrity.log import LogCheck, check_log
from liuhen.tlog.verify import Problem

__all__ = ["LogCheck", "Problem", "check_log"]
