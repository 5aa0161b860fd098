"""Run the queued background tasks inside a test's transaction, the way ``liuhen db_worker`` runs them:
the worker's own ``run_task`` (it records success or failure on the queue row), without the worker
loop's connection upkeep, which would close the test's connection (its transaction is the test's world)."""

from __future__ import annotations

from django_tasks.base import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> int:
    """Run every task that is ready, oldest first; how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran
