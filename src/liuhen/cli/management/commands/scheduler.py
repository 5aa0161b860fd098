"""``liuhen scheduler``: enqueue the ledger's periodic tasks for ``db_worker`` (django-tasks has no scheduler).

Every ``--checkpoint-every`` seconds (default 30, so a checkpoint follows new entries within a minute)
it enqueues a checkpoint when the log grew; every ``--fixity-every`` seconds a fixity batch. With
``--parent PID`` it exits when that process is gone (``liuhen serve`` starts it that way).
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand

from liuhen.archive.tasks import disposal_upkeep_task, fixity_task
from liuhen.compliance.tasks import compliance_tick
from liuhen.evidence.tasks import uploads_upkeep_task
from liuhen.ledger.checkpoints import checkpoint_latest
from liuhen.ledger.tasks import checkpoint_task
from liuhen.ledger.tree import tree_size


def _alive(pid: int | None) -> bool:
    return pid is None or os.getppid() == pid


class Command(BaseCommand):
    help = "Enqueue periodic ledger tasks (checkpoints, fixity) for the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint-every", type=float, default=30.0)
        parser.add_argument("--fixity-every", type=float, default=600.0)
        parser.add_argument("--fixity-batch", type=int, default=100)
        parser.add_argument("--parent", type=int, help="exit when this parent process is gone")
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, **o):
        next_fixity = time.monotonic()
        while _alive(o["parent"]):
            latest = checkpoint_latest()
            if latest is None or tree_size() > latest.size:
                checkpoint_task.enqueue()
            if time.monotonic() >= next_fixity:
                fixity_task.enqueue(limit=o["fixity_batch"])
                uploads_upkeep_task.enqueue()  # tus hand-off retries, expired uploads, dead temp files
                disposal_upkeep_task.enqueue()  # locks a later hold extends; disposals S3 still locked
                next_fixity = time.monotonic() + o["fixity_every"]
            compliance_tick()  # deadlines that pass with no write (every 5 min; all cases daily)
            if o["once"]:
                return
            time.sleep(o["checkpoint_every"])
