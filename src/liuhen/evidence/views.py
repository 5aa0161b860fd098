"""The browser upload page: tus-js-client sends the file to ``/api/uploads/`` with the session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.core.ids import parse_id
from liuhen.evidence.services.intake import upload_limit_bytes
from liuhen.web.views.common import AuthedRequest, case_or_404, require_permission


@login_required
@ensure_csrf_cookie
def upload_page(request: AuthedRequest) -> HttpResponse:
    case = _preselected_case(request, request.GET.get("case", ""))  # out of scope: 404 first
    require_permission(request, Permission.MEDIA_UPLOAD)
    context = {
        "case": case,
        "activities": AV_ACTIVITIES,  # (code, 中文名): the code is sent, the name is shown
        "max_bytes": upload_limit_bytes(request.user.agency),
    }
    return render(request, "evidence/upload.html", context)


def _preselected_case(request: AuthedRequest, raw: str) -> Case | None:
    """The case named by ``?case=`` (scoped by the selector), ``None`` when none is named.

    A value that cannot name a case the user may see — another agency's, a confidential one out of
    reach, one that does not exist, or not an id at all — is 404, as for the case page itself."""
    if not raw:
        return None
    if (case_id := parse_id(raw)) is None:
        raise Http404("案件不存在")
    return case_or_404(request, case_id)
