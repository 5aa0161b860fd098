"""Background tasks (django-tasks, run by ``liuhen db_worker``); ``liuhen scheduler`` enqueues them."""

from __future__ import annotations

from django_tasks import task

from liuhen.ledger.checkpoints import checkpoint_issue


@task()
def checkpoint_task() -> int:
    """Sign the tree if it grew since the last checkpoint; return the signed size."""
    return checkpoint_issue().size
