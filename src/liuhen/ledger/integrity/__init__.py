"""``liuhen verify``: the server-side integrity check of the ledger, the records and the stored files.

Problems use the offline verifier's kinds and shape (:class:`liuhen.tlog.verify.Problem`):
``<kind>: <object>: <detail>`` with kind one of modified, missing, extra, reordered, file corrupted,
file missing, bad signature, inconsistent checkpoints.

``records`` (which reads the case models) is imported when verify runs, not with the package: the
services import :mod:`liuhen.ledger.integrity.state` from here, and the case services are what
``records`` imports.
"""

from __future__ import annotations

from liuhen.ledger.integrity.log import LogCheck, check_log
from liuhen.tlog.verify import Problem

__all__ = ["LogCheck", "Problem", "check_log", "verify_all"]


def verify_all(*, files: bool = True) -> list[Problem]:
    """Every check; ``files=False`` skips re-hashing the stored blobs (existence is still checked)."""
    from liuhen.ledger.integrity.records import check_files, check_records

    log = check_log()
    problems = list(log.problems)
    problems += check_records()
    problems += check_files(rehash=files)
    return problems
