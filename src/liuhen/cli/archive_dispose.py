"""``liuhen archive dispose`` (销毁清册) as a real user: ``--list`` the candidates, ``--propose`` a list
(of every candidate, or ``--case ARCHIVE_NO`` …), ``--approve ID`` in the user's role, ``--execute ID``.
Domain refusals (a hold, a period not ended, a missing approval) reach the command as ``DomainError``
and leave it as one line with a non-zero exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.archive import disposal
from liuhen.core.errors import NotFound, PermissionDenied


def dispose(user: User, o: dict[str, Any], write: Callable[[str], Any]) -> None:
    if not user.can(Permission.ARCHIVE_DISPOSAL):
        raise PermissionDenied(f"{user.username} 无权办理档案销毁（需要权限 archive.disposal）")
    if o["list"]:
        for c in disposal.disposal_candidates(user=user):
            end = disposal.local_day(c.period_end)
            write(f"{c.case_file.archive_no}\t{c.case_file.retention}\t届满 {end}\t{len(c.contents)} 件内容")
        return
    if o["propose"]:
        ids = [_case_file_id(user, no) for no in o["case"]] or None
        made = disposal.disposal_propose(by=user, reason=o["reason"], case_file_ids=ids)
        _show(disposal.disposal_get(user=user, disposal_id=made.pk), write)
        return
    if o["approve"] is not None:
        view = disposal.disposal_get(user=user, disposal_id=o["approve"])
        disposal.disposal_approve(disposal=view.disposal, by=user, opinion=o["opinion"])
        _show(disposal.disposal_get(user=user, disposal_id=o["approve"]), write)
        return
    view = disposal.disposal_get(user=user, disposal_id=o["execute"])
    result = disposal.disposal_execute(disposal=view.disposal, by=user)
    write(f"已销毁 {result.destroyed}，保留 {result.kept}，待存储锁定期满后销毁 {result.pending}")
    _show(disposal.disposal_get(user=user, disposal_id=o["execute"]), write)


def _case_file_id(user: User, archive_no: str) -> int:
    found = scope.case_files(user).filter(archive_no=archive_no).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound(f"档号 {archive_no} 的案卷不存在")
    return int(found)


def _show(view: disposal.DisposalView, write: Callable[[str], Any]) -> None:
    d = view.disposal
    write(f"销毁清册 {d.pk}\tNo. {d.number}\t{view.status}\t{'、'.join(e['archive_no'] for e in d.entries)}")
    for a in view.approvals:
        write(f"审批\t{disposal.role_label(a.role)}\t{a.approved_by.display_name}\t{a.opinion}")
    if view.missing_roles:
        write(f"尚缺审批\t{'、'.join(view.missing_labels)}")
