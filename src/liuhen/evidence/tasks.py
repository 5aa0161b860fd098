"""Background upkeep of uploads (django-tasks, run by ``liuhen db_worker``; enqueued by ``liuhen scheduler``)."""

from __future__ import annotations

from django_tasks import task

from liuhen.cases.blobs import blob_store
from liuhen.evidence.tus_view import tus_server

# A put that has not touched its temp file for a day is dead (its process was killed).
_STALE_PUT_SECONDS = 24 * 3600


@task()
def uploads_upkeep_task() -> dict[str, int]:
    """Retry hand-offs of uploads whose bytes all arrived, drop expired uploads and dead temp files."""
    server = tus_server()
    finalized = server.finalize_pending()
    expired = server.sweep_expired()
    sweep = getattr(blob_store(), "sweep_temp", None)
    swept = sweep(older_than_seconds=_STALE_PUT_SECONDS) if sweep is not None else 0
    return {"finalized": len(finalized), "expired": len(expired), "temp_removed": swept}
