"""The 销毁清册 page (Chinese): the case files whose 保管期限 has ended under no hold, proposing a list
(the archivist), each list with its approvals (the head's and the archive unit's, two people) and the
destruction (the archivist). Every route needs ``archive.disposal`` (403 before any form is read); a
refusal (a hold, a period not ended, a missing approval) is shown at its field, citing the hold."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liuhen.accounts.roles import Permission
from liuhen.archive import disposal
from liuhen.core.errors import DomainError, NotFound
from liuhen.web.views.common import AuthedRequest, require_permission


def _page(request: AuthedRequest, *, error: DomainError | None = None, at: int | None = None) -> HttpResponse:
    user = request.user
    lists = disposal.disposal_lists(user=user)
    context = {
        "candidates": disposal.disposal_candidates(user=user),
        "lists": [(v, _may_approve(request, v), _may_execute(request, v)) for v in lists],
        "may_propose": user.can(Permission.CASE_ARCHIVE),
        "error": error,
        "error_at": at,  # the list the error belongs to; None: the proposal form
        "field_errors": {e.field: e.message for e in error.errors} if error else {},
        "posted": request.POST if error else {},
    }
    return render(request, "web/archive_disposal.html", context, status=error.status if error else 200)


def _may_approve(request: AuthedRequest, view: disposal.DisposalView) -> bool:
    done = any(a.approved_by_id == request.user.pk for a in view.approvals)
    return not done and any(request.user.has_role(r) for r in view.missing_roles)


def _may_execute(request: AuthedRequest, view: disposal.DisposalView) -> bool:
    return view.approved and bool(view.pending) and request.user.can(Permission.CASE_ARCHIVE)


@login_required
@require_GET
def page(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.ARCHIVE_DISPOSAL)
    return _page(request)


@login_required
@require_POST
def propose(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.ARCHIVE_DISPOSAL)
    ids = [int(v) for v in request.POST.getlist("case_file") if v.isdigit()]
    try:
        made = disposal.disposal_propose(
            by=request.user, reason=request.POST.get("reason", ""), case_file_ids=ids or None
        )
    except DomainError as exc:
        return _page(request, error=exc)
    messages.success(request, f"销毁清册 No. {made.number} 已编制，待机关负责人和档案部门审批")
    return redirect("archive:disposal")


def _listing(request: AuthedRequest) -> disposal.DisposalView:
    raw = request.POST.get("disposal", "")
    try:
        return disposal.disposal_get(user=request.user, disposal_id=int(raw) if raw.isdigit() else 0)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
@require_POST
def approve(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.ARCHIVE_DISPOSAL)
    view = _listing(request)
    try:
        disposal.disposal_approve(
            disposal=view.disposal, by=request.user, opinion=request.POST.get("opinion", "")
        )
    except DomainError as exc:
        return _page(request, error=exc, at=view.disposal.pk)
    messages.success(request, f"已审批销毁清册 No. {view.disposal.number}")
    return redirect("archive:disposal")


@login_required
@require_POST
def execute(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.ARCHIVE_DISPOSAL)
    view = _listing(request)
    try:
        result = disposal.disposal_execute(disposal=view.disposal, by=request.user)
    except DomainError as exc:
        return _page(request, error=exc, at=view.disposal.pk)
    text = f"销毁清册 No. {view.disposal.number}：已销毁 {result.destroyed} 件内容"
    if result.kept:
        text += f"，{result.kept} 件因其他记录仍在使用而保留"
    if result.pending:
        text += f"，{result.pending} 件存储锁定期未满，期满后自动销毁"
    messages.success(request, text)
    return redirect("archive:disposal")
