"""Is this failure a full disk? One answer for every adapter (web, API, tus, CLI). No Django.

A full disk reaches the application in four forms, each wrapped in whatever raised it (Django keeps
the driver's error as ``__cause__`` of its ``OperationalError``):

- ``OSError`` with ``ENOSPC`` (no space left) or ``EDQUOT`` (quota exceeded) from the file system;
- :class:`liuhen.storage.StorageFull` from a blob store;
- SQLite's ``SQLITE_FULL`` ("database or disk is full"), also what ``PRAGMA max_page_count`` gives;
- PostgreSQL's SQLSTATE ``53100`` (``disk_full``; psycopg 3 raises ``psycopg.errors.DiskFull``).

Other ``53xxx`` states (out of memory, too many connections) are not a full disk: they are left to
the caller's ordinary error path rather than told to the user as "storage is full".
"""

from __future__ import annotations

import errno
import sqlite3

from liuhen.storage.base import StorageFull

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
POSTGRES_DISK_FULL = "53100"
_SQLITE_FULL_TEXT = "database or disk is full"
_MAX_CHAIN = 16  # causes followed at most (a chain is short; this only guards against a cycle)


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` or any exception it was raised from says the disk (or database) is full."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(exc))
        if _says_full(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _says_full(exc: BaseException) -> bool:
    if isinstance(exc, StorageFull):
        return True
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL if code is not None else _SQLITE_FULL_TEXT in str(exc)
    # psycopg 3 (``sqlstate``) and psycopg2 (``pgcode``), read without importing either driver
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if state == POSTGRES_DISK_FULL:
        return True
    # Django's sqlite3 OperationalError without its cause (re-raised by hand): the text is all there is
    return type(exc).__name__ == "OperationalError" and _SQLITE_FULL_TEXT in str(exc)
