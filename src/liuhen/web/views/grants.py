"""调阅复制申请 pages (Chinese): the list (to decide, mine, the agency's), filing a request from a case,
and one request with its whole history, its decision, revocation, the records it opens and the copies
made under it. Every read goes through :mod:`liuhen.grants.selectors` (the one access layer); refusals
are shown at their field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases import selectors as case_selectors
from liuhen.catalogue import get_type
from liuhen.core.errors import DomainError, NotFound
from liuhen.core.responses import file_response
from liuhen.evidence import selectors as evidence_selectors
from liuhen.grants import delivery as deliveries
from liuhen.grants import selectors, services
from liuhen.grants.models import AccessRequest, AccessRequestItem
from liuhen.grants.policy import agency_policy
from liuhen.web.views.common import AuthedRequest, require_permission


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    mine = selectors.request_list(user=user).filter(requested_by=user)[:200]
    others = selectors.request_list(user=user).exclude(requested_by=user)[:200]
    context = {
        "to_decide": [_row(r) for r in selectors.to_decide(user=user)],
        "mine": [_row(r) for r in mine],
        "others": [_row(r) for r in others],
    }
    return render(request, "grants/list.html", context)


def _row(found: AccessRequest) -> tuple[AccessRequest, str, str]:
    state = services.grant_state(found)
    return found, state, services.STATE_LABELS[state]


def _case_records(request: AuthedRequest, case_id: int) -> dict:
    case = case_selectors.case_get(user=request.user, case_id=case_id)
    documents = case_selectors.case_documents(user=request.user, case=case)
    media = evidence_selectors.case_media(user=request.user, case=case)
    return {
        "case": case,
        "documents": [(d, get_type(d.doc_type).title) for d in documents],
        "media": media,
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    """The form, for one case (``?case=<id>``, or its 案件编号 typed in): which records, why, how long."""
    require_permission(request, Permission.CASE_VIEW)
    source = request.POST if request.method == "POST" else request.GET
    context: dict = {
        "kinds": AccessRequest.Kind.choices,
        "recipient_kinds": AccessRequest.RecipientKind.choices,
    }
    context["posted"] = source
    errors: dict[str, str] = {}
    case_ref = (source.get("case") or "").strip()
    if case_ref:
        try:
            case_id = (
                int(case_ref)
                if case_ref.isdigit()
                else case_selectors.case_get(user=request.user, case_no=case_ref).pk
            )
            context.update(_case_records(request, case_id))
            context["policy"] = policy = agency_policy(context["case"].agency)
            context["approvers"] = services.roles_text(policy.approver_roles)
        except NotFound:
            if request.method == "POST":  # a case named by id that the user cannot see: not found
                raise Http404("案件不存在") from None
            errors["case"] = "未找到该案件（请核对案件编号）"
    if request.method == "GET" or "case" not in context:
        context["field_errors"] = errors
        return render(
            request, "grants/new.html", context, status=422 if errors and request.method == "POST" else 200
        )
    case = context["case"]
    items = [services.ItemSpec(case.pk)] if source.get("whole") else []
    items += [
        services.ItemSpec(case.pk, document_id=int(v)) for v in source.getlist("document") if v.isdigit()
    ]
    items += [services.ItemSpec(case.pk, media_id=int(v)) for v in source.getlist("media") if v.isdigit()]
    try:
        days = int(source.get("days") or 0)
    except ValueError:
        days = 0
    try:
        filed = services.access_request_file(
            by=request.user,
            kind=source.get("kind", ""),
            reason=source.get("reason", ""),
            days=days,
            items=items,
            recipient=source.get("recipient", ""),
            recipient_kind=source.get("recipient_kind", ""),
        )
    except DomainError as exc:
        context["error"] = exc
        context["field_errors"] = {_field(e.field): e.message for e in exc.errors} or {"items": exc.message}
        return render(request, "grants/new.html", context, status=exc.status)
    messages.success(request, f"已提出{filed.get_kind_display()}申请 {filed.number}，等待审批")
    return redirect("grants:detail", request_id=filed.pk)


def _request_or_404(request: AuthedRequest, request_id: int) -> AccessRequest:
    try:
        return selectors.request_get(user=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _item_label(user: User, item: AccessRequestItem) -> str:
    """What an item names, as a person reads it; a confidential record's title only for those cleared."""
    cleared = user.can(Permission.CONFIDENTIAL_VIEW) or item.request.requested_by_id == user.pk
    if item.document is not None:
        secret = item.document.confidential and not cleared
        return "涉密文书" if secret else f"文书：{get_type(item.document.doc_type).title}"
    if item.media is not None:
        secret = item.media.confidential and not cleared
        return "涉密音像记录" if secret else f"音像：{item.media.title or item.media.get_kind_display()}"
    return "整个案件（全部文书和音像记录）"


def _field(name: str) -> str:
    return "items" if name.startswith("items") else name


def _detail(
    request: AuthedRequest, request_id: int, *, error: DomainError | None = None, form: str = ""
) -> HttpResponse:
    user = request.user
    found = _request_or_404(request, request_id)
    state = services.grant_state(found)
    policy = agency_policy(found.agency)
    roles = services.approver_roles(policy, found.kind)
    may_decide = (
        state == "pending"
        and found.requested_by_id != user.pk
        and user.agency_id == found.agency_id
        and any(user.has_role(r) for r in roles)
    )
    mine = found.requested_by_id == user.pk
    records = selectors.covered_records(user=user, request=found) if mine and state == "live" else []
    context = {
        "req": found,
        "state": state,
        "state_label": services.STATE_LABELS[state],
        "items": [(i, _item_label(user, i)) for i in found.items.select_related("case", "document", "media")],
        "decision": getattr(found, "decision", None) if state != "pending" else None,
        "revocation": getattr(found, "revocation", None) if state == "revoked" else None,
        "deliveries": list(found.deliveries.select_related("made_by")),
        "jobs": deliveries.package_jobs(found),
        "history": selectors.request_history(found),
        "approvers": services.roles_text(roles),
        "basis": services.approver_basis(policy, found.kind),
        "max_days": min(found.days, policy.max_days),
        "may_decide": may_decide,
        "may_revoke": state == "live"
        and (mine or (user.agency_id == found.agency_id and any(user.has_role(r) for r in roles))),
        "may_copy": mine and state == "live" and found.kind != AccessRequest.Kind.VIEW,
        "records": [(r, selectors.record_title(r)) for r in records],
        "error": error,
        "error_form": form,
        "field_errors": {e.field: e.message for e in error.errors} if error else {},
        "posted": request.POST if error else {},
    }
    return render(request, "grants/detail.html", context, status=error.status if error else 200)


@login_required
@require_GET
def request_detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    return _detail(request, request_id)


@login_required
@require_POST
def request_decide(request: AuthedRequest, request_id: int) -> HttpResponse:
    found = _request_or_404(request, request_id)
    approved = request.POST.get("approved") == "1"
    try:
        days = int(request.POST.get("days") or found.days)
    except ValueError:
        days = 0
    try:
        services.access_request_decide(
            request=found,
            by=request.user,
            approved=approved,
            opinion=request.POST.get("opinion", ""),
            days=days,
        )
    except DomainError as exc:
        return _detail(request, request_id, error=exc, form="decide")
    messages.success(request, f"{found.number}：已{'批准' if approved else '不予批准'}")
    return redirect("grants:detail", request_id=request_id)


@login_required
@require_POST
def request_revoke(request: AuthedRequest, request_id: int) -> HttpResponse:
    found = _request_or_404(request, request_id)
    try:
        services.access_request_revoke(request=found, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _detail(request, request_id, error=exc, form="revoke")
    messages.success(request, f"{found.number}：授权已撤销，立即失效")
    return redirect("grants:detail", request_id=request_id)


@login_required
@require_POST
def delivery_make(request: AuthedRequest, request_id: int) -> HttpResponse:
    found = _request_or_404(request, request_id)
    try:
        made = deliveries.delivery_request(
            request=found,
            by=request.user,
            handed_to=request.POST.get("handed_to", ""),
            viewing_copies=request.POST.get("viewing_copies") == "1",
        )
    except DomainError as exc:
        return _detail(request, request_id, error=exc, form="deliver")
    if made is None:
        messages.success(
            request, "复制件含视频观看副本或较大的音像文件，正在后台制作，完成后刷新本页即可下载"
        )
    else:
        messages.success(request, f"复制件已制作：{made.files} 个文件，可下载")
    return redirect("grants:detail", request_id=request_id)


@login_required
@require_GET
def delivery_download(request: AuthedRequest, request_id: int, delivery_id: int) -> HttpResponse:
    found = _request_or_404(request, request_id)
    try:
        delivery = deliveries.delivery_content(user=request.user, request=found, delivery_id=delivery_id)
        content = deliveries.delivery_bytes(delivery)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return render(request, "403.html", {"exception": exc.message}, status=exc.status)
    return file_response(content, "application/zip", f"{found.number}.zip")
