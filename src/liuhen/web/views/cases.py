"""Case list, opening a case, the case page, stage moves and approval steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission, approval_kinds_for
from liuhen.accounts.selectors import colleagues
from liuhen.cases import selectors, services
from liuhen.cases.models import Case
from liuhen.cases.services.cases import move_permission
from liuhen.compliance.inbox import inbox
from liuhen.core import keyset
from liuhen.core.errors import DomainError, ValidationFailed
from liuhen.core.stages import allowed_targets
from liuhen.web.casepage import (
    Failed,
    document_choices,
    render_case_page,
    transition_choices,
    visible_documents,
)
from liuhen.web.forms import ApprovalForm, CaseFilterForm, CaseOpenForm, TransitionForm, add_service_errors
from liuhen.web.views.common import AuthedRequest, case_or_404, document_or_404, require_permission

PAGE_SIZE = 30
COUNT_CAP = 10_000  # the list says 共 N 件 up to this, then 超过 N 件
_PARTY_ALIASES = {"kind": "new_party_kind", "name": "new_party_name"}
_CASE_ALIASES = {"handler_id": "handler"}


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CaseFilters(**{k: v or None for k, v in form.cleaned_data.items()})
    cases = selectors.case_list(user=request.user, filters=filters)
    cursor_error = ""
    try:
        page = keyset.page(cases, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE)
    except ValidationFailed as exc:  # a stale or edited link: the first page, and say why
        page, cursor_error = keyset.page(cases, cursor=None, size=PAGE_SIZE), exc.errors[0].message
    counted = cases[: COUNT_CAP + 1].count()  # bounded: a million cases are not counted per request
    query = request.GET.copy()
    for name in ("cursor", "page"):
        query.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "count": min(counted, COUNT_CAP),
        "more_than": counted > COUNT_CAP,
        "cursor_error": cursor_error,
        "query": query.urlencode(),
    }
    if not request.headers.get("HX-Request"):  # htmx swaps in the results only: no inbox to build
        context["inbox"] = request.inbox = inbox(user=request.user)  # type: ignore[attr-defined]
    return render(request, "web/case_list.html", context)


@login_required
def case_new(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.CASE_OPEN)
    user: User = request.user
    form = CaseOpenForm(
        request.POST or None, parties=selectors.party_list(user=user), colleagues=colleagues(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = _open(user, form)
        except DomainError as exc:
            return render(request, "web/case_new.html", {"form": form}, status=exc.status)
        return redirect("web:case_detail", case_id=case.pk)
    return render(request, "web/case_new.html", {"form": form}, status=422 if form.is_bound else 200)


@transaction.atomic
def _open(user: User, form: CaseOpenForm) -> Case:
    """Register the inline party (if any) and open the case, both or neither. Errors land on ``form``."""
    parties = list(form.cleaned_data["party_ids"])
    new_party = form.new_party()
    try:
        if new_party is not None:
            parties.append(services.party_create(created_by=user, **new_party))
    except DomainError as exc:
        add_service_errors(form, exc, _PARTY_ALIASES)
        raise
    try:
        return services.case_open(
            opened_by=user, parties=parties, handler=form.cleaned_data["handler"], **form.case_fields()
        )
    except DomainError as exc:
        add_service_errors(form, exc, _CASE_ALIASES)
        raise


@login_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    return render_case_page(request, case_or_404(request, case_id))


@login_required
@require_POST
def transition_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    wanted = request.POST.get("to_stage", "")
    if wanted in allowed_targets(case.procedure, case.stage) and not request.user.can(
        move_permission(wanted)
    ):
        raise DjangoPermissionDenied("您的角色不能作此阶段流转")
    if not (request.user.can(Permission.CASE_TRANSITION) or request.user.can(Permission.CASE_ARCHIVE)):
        raise DjangoPermissionDenied("您的角色不能流转案件阶段")
    form = TransitionForm(request.POST, **transition_choices(request.user, case))
    if not form.is_valid():
        return render_case_page(request, case, failed=Failed("transition", form), status=422)
    try:
        services.case_transition(case=case, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        add_service_errors(form, exc)
        return render_case_page(request, case, failed=Failed("transition", form), status=exc.status)
    return redirect(f"{case_path(case)}#timeline")


@login_required
@require_POST
def approval_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    if not approval_kinds_for(request.user.roles):
        raise DjangoPermissionDenied("您的角色不能填写审批意见")
    form = ApprovalForm(request.POST, documents=document_choices(visible_documents(request.user, case)))
    if not form.is_valid():
        return render_case_page(request, case, failed=Failed("approval", form), status=422)
    data = dict(form.cleaned_data)
    document_id = data.pop("document_id")
    document = document_or_404(request, document_id, "change") if document_id else None
    try:
        services.approval_record(case=case, actor=request.user, document=document, **data)
    except DomainError as exc:
        add_service_errors(form, exc)
        return render_case_page(request, case, failed=Failed("approval", form), status=exc.status)
    return redirect(f"{case_path(case)}#timeline")


def case_path(case: Case) -> str:
    return reverse("web:case_detail", kwargs={"case_id": case.pk})
