"""The archivist's pages (Chinese): the queue with the 30-day clock, the assembly of one case file
(reorder inside a stage, 卷内情况说明), the 立卷人's and the 检查人's signatures, and the signed-off
case file with its whole-file PDF and package. Thin: one selector or service each; every page needs
``case.archive`` (403 before any form is read) and reads through the access layer's archiving reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liuhen.accounts.roles import Permission
from liuhen.archive import outputs, selectors, services, supplements
from liuhen.archive.assembly import VOLUME_LABELS, Item
from liuhen.cases.models import Case
from liuhen.core.errors import DomainError, NotFound
from liuhen.core.responses import file_response
from liuhen.web.archive_forms import SupplementApprovalForm, SupplementForm
from liuhen.web.forms import add_service_errors
from liuhen.web.views.common import AuthedRequest, case_or_404, require_permission


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.CASE_ARCHIVE)
    return render(request, "web/archive_queue.html", {"rows": selectors.archive_queue(user=request.user)})


def _case(request: AuthedRequest, case_id: int) -> Case:
    """The case for archiving, without assembling its file (a write's service assembles it itself)."""
    try:
        return selectors.archiving_case(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _view(request: AuthedRequest, case_id: int) -> selectors.AssemblyView:
    try:
        return selectors.assembly_view(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _may_read(request: AuthedRequest) -> None:
    """A case file is read for archiving only: without ``case.archive`` it is not there (404)."""
    if not request.user.can(Permission.CASE_ARCHIVE):
        raise Http404("案卷不存在")


def _may_write(request: AuthedRequest, case_id: int) -> None:
    """403 before any form is read for a role that may not archive — or 404 for a case it cannot see."""
    if not request.user.can(Permission.CASE_ARCHIVE):
        case_or_404(request, case_id)
        require_permission(request, Permission.CASE_ARCHIVE)


def _page(
    request: AuthedRequest,
    case_id: int,
    *,
    error: DomainError | None = None,
    supplement_form: SupplementForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    try:
        view = _view(request, case_id)
    except DomainError as exc:  # an item cannot be read (a confidential 存档联 not printed yet)
        if isinstance(exc, NotFound):
            raise
        return render(
            request, "web/archive_case.html", {"blocked": exc.message, "case_id": case_id}, status=409
        )
    context = {
        "view": view,
        "groups": _groups(view.items),
        "error": error,
        "field_errors": {e.field: e.message for e in error.errors} if error else {},
        "supplement_form": supplement_form or SupplementForm(),
        "open_supplement": supplement_form is not None,
    }
    return render(
        request, "web/archive_case.html", context, status=status or (error.status if error else 200)
    )


def _groups(items: list[Item]) -> list[tuple[str, str, list[tuple[Item, bool, bool]]]]:
    """Items by (volume, stage), each with whether it can move up / down inside its group."""
    groups: list[tuple[str, str, list[tuple[Item, bool, bool]]]] = []
    for item in items:
        if not groups or groups[-1][0] != VOLUME_LABELS[item.volume] or groups[-1][1] != item.stage_label:
            groups.append((VOLUME_LABELS[item.volume], item.stage_label, []))
        groups[-1][2].append((item, True, True))
    return [
        (volume, stage, [(it, i > 0, i < len(rows) - 1) for i, (it, _, _) in enumerate(rows)])
        for volume, stage, rows in groups
    ]


@login_required
@require_GET
def case_file(request: AuthedRequest, case_id: int) -> HttpResponse:
    _may_read(request)
    return _page(request, case_id)


@login_required
@require_POST
def reorder(request: AuthedRequest, case_id: int) -> HttpResponse:
    """One item one place up or down (the page's buttons); or a whole order (``order``, one per line)."""
    _may_write(request, case_id)
    view = _view(request, case_id)
    records = [i.record for i in view.items]
    if "order" in request.POST:
        records = [r.strip() for r in request.POST["order"].split() if r.strip()]
    else:
        record, step = request.POST.get("record", ""), 1 if request.POST.get("move") == "down" else -1
        if record in records and 0 <= records.index(record) + step < len(records):
            at = records.index(record)
            records[at], records[at + step] = records[at + step], records[at]
    try:
        services.case_file_draft_save(case=view.case, by=request.user, order=records)
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    return redirect("archive:case_file", case_id=case_id)


@login_required
@require_POST
def notes(request: AuthedRequest, case_id: int) -> HttpResponse:
    _may_write(request, case_id)
    case = _case(request, case_id)
    try:
        services.case_file_draft_save(case=case, by=request.user, notes=request.POST.get("notes", ""))
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    messages.success(request, "卷内情况说明已保存")
    return redirect("archive:case_file", case_id=case_id)


@login_required
@require_POST
def compile_sign(request: AuthedRequest, case_id: int) -> HttpResponse:
    _may_write(request, case_id)
    case = _case(request, case_id)
    try:
        services.case_file_compile(case=case, by=request.user)
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    messages.success(request, "已作为立卷人签署，请由另一位档案管理员检查并签署")
    return redirect("archive:case_file", case_id=case_id)


@login_required
@require_POST
def check_sign(request: AuthedRequest, case_id: int) -> HttpResponse:
    _may_write(request, case_id)
    case = _case(request, case_id)
    try:
        signed = services.case_file_sign(case=case, by=request.user)
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    messages.success(request, f"案卷已签署归档，档号 {signed.archive_no}；案件已转为只读")
    return redirect("archive:case_file", case_id=case_id)


def _signed_off(request: AuthedRequest, case_id: int) -> bool:
    """Whether the case (404 outside the archiving scope) has a signed-off case file; if not, say so."""
    if selectors.signed_case_file(_case(request, case_id)) is not None:
        return True
    messages.warning(request, "案卷尚未签署归档，签署后才能下载案卷 PDF 和归档信息包")
    return False


@login_required
@require_GET
def whole_pdf(request: AuthedRequest, case_id: int) -> HttpResponse:
    _may_read(request)
    if not _signed_off(request, case_id):
        return redirect("archive:case_file", case_id=case_id)
    try:
        name, pdf = outputs.whole_file_pdf(user=request.user, case_id=case_id)
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    return file_response(pdf, "application/pdf", name)


@login_required
@require_GET
def package(request: AuthedRequest, case_id: int) -> HttpResponse | FileResponse:
    _may_read(request)
    if not _signed_off(request, case_id):
        return redirect("archive:case_file", case_id=case_id)
    try:
        name, handle = outputs.package_zip(user=request.user, case_id=case_id)
    except DomainError as exc:
        return _page(request, case_id, error=exc)
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


# --- 补充归档 -----------------------------------------------------------------------------------


@login_required
@require_POST
def supplement_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The archivist uploads a file that arrived after the sign-off (the section on the case file page)."""
    _may_write(request, case_id)
    view = _supplements(request, case_id)
    form = SupplementForm(request.POST, request.FILES)
    if view.case_file is None:
        messages.warning(request, "案卷尚未签署归档，签署后才能补充归档")
        return redirect("archive:case_file", case_id=case_id)
    if not form.is_valid():
        return _page(request, case_id, supplement_form=form, status=422)
    data = form.cleaned_data
    facts = supplements.SupplementFacts(
        title=data["title"],
        responsible=data["responsible"],
        date=data["date"].isoformat(),
        reason=data["reason"],
        doc_no=data["doc_no"],
    )
    try:
        supplements.supplement_add(
            case_file=view.case_file, by=request.user, chunks=data["file"].chunks(), facts=facts
        )
    except DomainError as exc:
        add_service_errors(form, exc)
        return _page(request, case_id, supplement_form=form, status=exc.status)
    messages.success(request, f"已提出补充归档「{facts.title}」，须经{view.approver_label}审批后计入案卷")
    return redirect("archive:case_file", case_id=case_id)


def _supplements(request: AuthedRequest, case_id: int) -> selectors.SupplementsView:
    try:
        return selectors.supplements_view(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _supplements_page(
    request: AuthedRequest, case_id: int, *, form: SupplementApprovalForm | None = None, status: int = 200
) -> HttpResponse:
    context = {"sv": _supplements(request, case_id), "approval_form": form, "failed": form is not None}
    return render(request, "web/archive_supplements.html", context, status=status)


@login_required
@require_GET
def supplement_list(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The case's 补充归档 for whoever may see the case (or archive it); the approver approves here."""
    require_permission(request, Permission.CASE_VIEW)
    return _supplements_page(request, case_id)


@login_required
@require_POST
def supplement_approve(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The profile's approver (the head) approves one 补充归档 of the case."""
    case_or_404(request, case_id)
    require_permission(request, Permission.APPROVAL_RECORD)
    view = _supplements(request, case_id)
    form = SupplementApprovalForm(request.POST)
    if view.case_file is None or not form.is_valid():
        if view.case_file is None:
            form.add_error(None, "本案尚无已签署的案卷")
        return _supplements_page(request, case_id, form=form, status=409 if view.case_file is None else 422)
    try:
        supplement = supplements.supplement_of(view.case_file, form.cleaned_data["supplement"])
        supplements.supplement_approve(
            supplement=supplement, by=request.user, opinion=form.cleaned_data["opinion"]
        )
    except DomainError as exc:
        add_service_errors(form, exc, aliases={"supplement_id": "supplement"})
        return _supplements_page(request, case_id, form=form, status=exc.status)
    messages.success(request, "补充归档已审批，已计入案卷")
    return redirect("archive:supplements", case_id=case_id)
