"""待关联音像: footage stored without a case, and linking each clip to its case from the browser."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from liuhen.accounts.roles import Permission
from liuhen.cases import selectors as case_selectors
from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.core.errors import DomainError
from liuhen.core.ids import parse_id
from liuhen.core.stages import READ_ONLY_STAGES
from liuhen.evidence import selectors
from liuhen.evidence.services.assignments import media_assign, media_assignment_withdraw
from liuhen.web.forms import add_service_errors
from liuhen.web.views.common import AuthedRequest, media_link_or_404, media_or_404, require_permission

PAGE_SIZE = 100


class AssignForm(forms.Form):
    case = forms.TypedChoiceField(label="关联到案件", coerce=int)
    activity = forms.ChoiceField(
        label="所记录的执法环节", required=False, choices=[("", "—"), *AV_ACTIVITIES]
    )
    reason = forms.CharField(label="说明", required=False, max_length=1000)

    def __init__(self, *args, cases=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择案件"), *((c.pk, f"{c.case_no} · {c.cause}") for c in cases)]


def _open_cases(request: AuthedRequest):
    if request.user.agency_id is None:
        return []
    qs = case_selectors.case_queryset(user=request.user).filter(agency_id=request.user.agency_id)
    return list(qs.exclude(stage__in=READ_ONLY_STAGES).order_by("-opened_at")[:300])


@login_required
@require_http_methods(["GET", "POST"])
def unassigned_page(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST" and "withdraw" in request.POST:
        return _withdraw(request)
    cases = _open_cases(request)
    failed: tuple[int, AssignForm] | None = None
    if request.method == "POST":
        result = _assign(request, cases)
        if isinstance(result, HttpResponse):
            return result
        failed = result
    clips = list(selectors.unassigned_media(user=request.user)[:PAGE_SIZE])
    rows = [
        (m, failed[1] if failed and failed[0] == m.pk else AssignForm(cases=cases, prefix=f"m{m.pk}"))
        for m in clips
    ]
    context = {
        "rows": rows,
        "can_assign": request.user.can(Permission.MEDIA_UPLOAD),
        "recent": selectors.recent_assignments(user=request.user),
    }
    return render(request, "web/unassigned.html", context, status=422 if failed else 200)


def _withdraw(request: AuthedRequest) -> HttpResponse:
    raw = request.POST.get("withdraw", "")
    row = media_link_or_404(request, parse_id(raw) or 0)
    require_permission(request, Permission.MEDIA_UPLOAD)
    try:
        media_assignment_withdraw(assignment=row, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, f"未能撤回：{exc.message}")
    else:
        messages.success(
            request, f"已撤回「{row.media.title}」与 {row.case.case_no} 的关联，音像重新列入待关联"
        )
    return redirect(reverse("evidence:unassigned"))


def _assign(request: AuthedRequest, cases) -> HttpResponse | tuple[int, AssignForm]:
    media_id = request.POST.get("media", "")
    media = media_or_404(request, parse_id(media_id) or 0, "change")
    require_permission(request, Permission.MEDIA_UPLOAD)
    form = AssignForm(request.POST, cases=cases, prefix=f"m{media.pk}")
    if not form.is_valid():
        return media.pk, form
    case = next(c for c in cases if c.pk == form.cleaned_data["case"])
    try:
        media_assign(
            media=media,
            case=case,
            by=request.user,
            activity=form.cleaned_data["activity"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        add_service_errors(form, exc)
        return media.pk, form
    messages.success(request, f"「{media.title}」已关联到 {case.case_no}")
    return redirect(reverse("evidence:unassigned"))
