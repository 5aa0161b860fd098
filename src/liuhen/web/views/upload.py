"""The resumable upload page: tus-js-client sends the file to ``/api/uploads/`` with the session.

The user picks the case and the documents instead of typing ids; the page names the agency's upload
deadline only where its regulation sets one, so the 逾期上传原因 field appears only where it means something."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.cases.selectors import case_list
from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.core.ids import parse_id
from liuhen.core.stages import Stage
from liuhen.evidence.selectors import agency_upload_deadline
from liuhen.evidence.services.intake import upload_limit_bytes
from liuhen.web.casepage import document_choices, visible_documents
from liuhen.web.views.common import AuthedRequest, case_or_404, require_permission

CASES_OFFERED = 300


@login_required
@ensure_csrf_cookie
def upload_page(request: AuthedRequest) -> HttpResponse:
    case = _preselected_case(request, request.GET.get("case", ""))  # out of scope: 404 first
    require_permission(request, Permission.MEDIA_UPLOAD)
    agency = request.user.agency
    context = {
        "case": case,
        "cases": _case_choices(request.user, case),
        "documents": document_choices(visible_documents(request.user, case)) if case else [],
        "activities": AV_ACTIVITIES,  # (code, 中文名): the code is sent, the name is shown
        "max_bytes": upload_limit_bytes(agency),
        "deadline": agency_upload_deadline(agency) if agency is not None else None,
    }
    return render(request, "web/upload.html", context)


def _case_choices(user: User, chosen: Case | None) -> list[Case]:
    """The user's own agency's cases that still take records, newest first, through the scoped list
    (a confidential case shows its number, not its cause). A case named in the address stays offered."""
    if user.agency_id is None:
        return [chosen] if chosen else []
    open_cases = case_list(user=user).filter(agency_id=user.agency_id).exclude(stage=Stage.ARCHIVED)
    cases = list(open_cases.order_by("-opened_at")[:CASES_OFFERED])
    if chosen is not None and all(c.pk != chosen.pk for c in cases):
        cases.insert(0, chosen)
    return cases


def _preselected_case(request: AuthedRequest, raw: str) -> Case | None:
    """The case named by ``?case=`` (scoped by the selector), ``None`` when none is named.

    A value that cannot name a case the user may see — another agency's, a confidential one out of
    reach, one that does not exist, or not an id at all — is 404, as for the case page itself."""
    if not raw:
        return None
    if (case_id := parse_id(raw)) is None:
        raise Http404("案件不存在")
    return case_or_404(request, case_id)
