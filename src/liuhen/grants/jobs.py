"""Work handed to the background worker (django-tasks' database queue) that has not produced its record
yet: queued, running, or failed since. Shown on the page of what it is for, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# why a background job failed, in words (from its exception's class, as the queue keeps it)
FAILURES = {
    "PermissionDenied": "授权在处理前已到期或被撤销",
    "NotFound": "所列记录已无法查看",
    "Conflict": "记录的状态已不允许此操作，或存储文件与记录不符",
    "ValidationFailed": "所填参数有误，请重新填写",
}


@dataclass(frozen=True)
class Job:
    state: str  # 排队中 / 处理中 / 处理失败，请重新提交
    since: datetime
    reason: str = ""


def pending_jobs(task_path: str, *, since: datetime | None = None, **kwargs: int) -> list[Job]:
    """The jobs of ``task_path`` whose keyword arguments include ``kwargs``, enqueued after ``since``,
    that have not succeeded: oldest first."""
    from django_tasks_db.models import DBTaskResult  # the queue's own table

    rows = DBTaskResult.objects.filter(task_path=task_path).exclude(status="SUCCESSFUL")
    for key, value in kwargs.items():
        rows = rows.filter(**{f"args_kwargs__kwargs__{key}": value})
    if since is not None:
        rows = rows.filter(enqueued_at__gt=since)
    out = []
    for row in rows.order_by("enqueued_at"):
        if row.status == "FAILED":
            reason = FAILURES.get(row.exception_class_path.rsplit(".", 1)[-1], "处理时出错，详见服务器日志")
            out.append(Job("处理失败，请重新提交", row.finished_at or row.enqueued_at, reason))
        elif row.status == "RUNNING":
            out.append(Job("处理中", row.started_at or row.enqueued_at))
        else:
            out.append(Job("排队中", row.enqueued_at))
    return out
