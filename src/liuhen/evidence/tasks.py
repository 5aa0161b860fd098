"""Background upkeep of uploads (django-tasks, run by ``liuhen db_worker``; enqueued by ``liuhen scheduler``).

A hand-off that keeps failing ends with the upload *held* for a person, with one integrity alert
(:mod:`liuhen.evidence.services.held_uploads`).
"""

from __future__ import annotations

from django_tasks import task

from liuhen.cases.blobs import blob_store
from liuhen.evidence.services.held_uploads import upload_held_alert_raise
from liuhen.evidence.tus_view import tus_server

# A put that has not touched its temp file for a day is dead (its process was killed).
_STALE_PUT_SECONDS = 24 * 3600


@task()
def uploads_upkeep_task() -> dict[str, int]:
    """Retry due hand-offs, alert on newly held uploads, drop expired uploads and dead temp files.

    Returns counts: ``finalized`` (recorded this run), ``held`` (waiting for a person now),
    ``held_alerted`` (alerts raised this run), ``expired``, ``temp_removed``."""
    server = tus_server()
    finalized = server.finalize_pending()
    held = server.files.infos("held")
    alerted = [info.id for info in held if upload_held_alert_raise(info=info) is not None]
    expired = server.sweep_expired()
    sweep = getattr(blob_store(), "sweep_temp", None)
    swept = sweep(older_than_seconds=_STALE_PUT_SECONDS) if sweep is not None else 0
    return {
        "finalized": len(finalized),
        "held": len(held),
        "held_alerted": len(alerted),
        "expired": len(expired),
        "temp_removed": swept,
    }
