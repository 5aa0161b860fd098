"""Background upkeep of the archive (django-tasks, run by ``liuhen db_worker``; enqueued by ``liuhen scheduler``)."""

from __future__ import annotations

from django_tasks import task

from liuhen.archive.disposal import disposal_upkeep
from liuhen.archive.fixity import document_digests_fill, fixity_run


@task()
def disposal_upkeep_task() -> dict[str, int]:
    """Extend the locks of case files a hold reached after sign-off, and retry the contents of approved
    销毁清册 that the store still locked (S3 Object Lock not yet expired)."""
    return disposal_upkeep()


@task()
def fixity_task(limit: int = 100) -> int:
    """Re-hash the next files of the rolling schedule; return how many failed."""
    document_digests_fill()
    return sum(1 for result in fixity_run(limit=limit) if not result.ok)
