"""Background tasks (django-tasks, run by ``liuhen db_worker``); ``liuhen scheduler`` enqueues them."""

from __future__ import annotations

from django_tasks import task

from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.fixity import document_digests_fill, fixity_run


@task()
def checkpoint_task() -> int:
    """Sign the tree if it grew since the last checkpoint; return the signed size."""
    return checkpoint_issue().size


@task()
def fixity_task(limit: int = 100) -> int:
    """Re-hash the next files of the rolling schedule; return how many failed."""
    document_digests_fill()
    return sum(1 for result in fixity_run(limit=limit) if not result.ok)
