"""The browser upload page: tus-js-client sends the file to ``/api/uploads/`` with the session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from liuhen.cases import selectors
from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.evidence.services.intake import upload_limit_bytes
from liuhen.web.views.common import AuthedRequest


@login_required
@ensure_csrf_cookie
def upload_page(request: AuthedRequest) -> HttpResponse:
    case_id = request.GET.get("case", "")
    case = selectors.case_get(user=request.user, case_id=int(case_id)) if case_id.isdigit() else None
    context = {
        "case": case,
        "activities": AV_ACTIVITIES,  # (code, 中文名): the code is sent, the name is shown
        "max_bytes": upload_limit_bytes(request.user.agency),
    }
    return render(request, "evidence/upload.html", context)
