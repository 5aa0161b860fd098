"""`liuhen scheduler` enqueues a checkpoint only when the log grew, and a fixity batch; the tasks do the work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from liuhen.ledger.checkpoints import checkpoint_issue, checkpoint_latest
from liuhen.ledger.tasks import checkpoint_task
from liuhen.ledger.tree import tree_size
from tests.ledger.helpers import append_n

pytestmark = pytest.mark.django_db


def enqueued() -> list[str]:
    rows = DBTaskResult.objects.filter(
        task_path__in=("liuhen.ledger.tasks.checkpoint_task", "liuhen.archive.tasks.fixity_task")
    )
    return sorted(r.task_path.rsplit(".", 1)[-1] for r in rows)


def test_given_new_entries_when_the_scheduler_runs_then_it_enqueues_a_checkpoint_and_fixity():
    """GIVEN entries past the last checkpoint WHEN one scheduler round runs THEN both tasks are queued;
    GIVEN a current checkpoint THEN only fixity is."""
    append_n(5)
    call_command("scheduler", "--once", stdout=io.StringIO())
    assert enqueued() == ["checkpoint_task", "fixity_task"]
    DBTaskResult.objects.all().delete()
    checkpoint_issue()
    call_command("scheduler", "--once", stdout=io.StringIO())
    assert enqueued() == ["fixity_task"]


def test_given_the_checkpoint_task_when_run_then_the_latest_checkpoint_covers_the_log():
    """GIVEN new entries WHEN the checkpoint task body runs THEN the latest checkpoint has the current size."""
    append_n(7)
    assert checkpoint_task.call() == tree_size() == checkpoint_latest().size
