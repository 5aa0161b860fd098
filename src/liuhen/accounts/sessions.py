"""Sessions in the database, with one exception: while the database is full, a login still works.

Sessions normally live in the database (Django's ``db`` engine), so an administrator can end one and
logging out ends it on the server. When a session cannot be written because the disk or database is
full, it is instead carried in its own key, signed with the site's secret (as Django's
``signed_cookies`` engine does) and valid for at most :data:`FALLBACK_MAX_AGE`. Reads go on working for
the person who logged in; writes answer 507 until space is freed. The next change to such a session
after space is back moves it into the database. The trade-off, written down in docs/security.md: a
session carried in its key cannot be ended on the server before it expires (a password change still
ends it: the session holds the password's auth hash).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core import signing
from django.db import DatabaseError

from liuhen.core.diskfull import is_disk_full

logger = logging.getLogger(__name__)

FALLBACK_PREFIX = "signed:"
FALLBACK_SALT = "liuhen.accounts.sessions.disk-full"
FALLBACK_MAX_AGE = 3600  # seconds: long enough to work through an incident, short enough to expire


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, falling back to a signed, short-lived key on a full database."""

    def _carried(self) -> bool:
        return bool(self.session_key and self.session_key.startswith(FALLBACK_PREFIX))

    def load(self) -> dict[str, Any]:
        key = self.session_key
        if key is None or not key.startswith(FALLBACK_PREFIX):
            return super().load()
        try:
            return signing.loads(
                key[len(FALLBACK_PREFIX) :],
                salt=FALLBACK_SALT,
                serializer=self.serializer,
                max_age=FALLBACK_MAX_AGE,
            )
        except signing.BadSignature:  # forged, or expired
            self._session_key = None
            return {}

    def save(self, must_create: bool = False) -> None:
        if self._carried():  # space may be back: store it in the database under a new key
            data = self._get_session()  # type: ignore[attr-defined]
            self._session_key = None
            self._session_cache = data
        try:
            super().save(must_create=must_create)
        except DatabaseError as exc:
            if not is_disk_full(exc):
                raise
            logger.warning("session kept in its signed key: the database is full (%s)", exc)
            data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
            token = signing.dumps(data, salt=FALLBACK_SALT, serializer=self.serializer, compress=True)
            self._session_key = FALLBACK_PREFIX + token

    def exists(self, session_key: str) -> bool:
        return not session_key.startswith(FALLBACK_PREFIX) and super().exists(session_key)

    def delete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is None or key.startswith(FALLBACK_PREFIX):
            return  # nothing on the server; the browser's cookie is cleared by the caller
        try:
            super().delete(session_key)
        except DatabaseError as exc:
            if not is_disk_full(exc):
                raise
            logger.warning("expired session row kept: the database is full (%s)", exc)
