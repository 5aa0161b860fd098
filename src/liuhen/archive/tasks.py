"""Background upkeep of the archive (django-tasks, run by ``liuhen db_worker``; enqueued by ``liuhen scheduler``)."""

from __future__ import annotations

from django_tasks import task

from liuhen.archive.disposal import disposal_upkeep


@task()
def disposal_upkeep_task() -> dict[str, int]:
    """Extend the locks of case files a hold reached after sign-off, and retry the contents of approved
    销毁清册 that the store still locked (S3 Object Lock not yet expired)."""
    return disposal_upkeep()
