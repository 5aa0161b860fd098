"""光盘备份 on a signed-off case file's page: write the package as a disc image, record the carrier and
hand the image to the archivist to burn. Thin: one service; ``case.archive`` first (403 before the form
is read), a case outside the archiving scope is 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import Permission
from liuhen.archive.discs import disc_copy_make
from liuhen.archive.models import DiscCopy
from liuhen.archive.selectors import archiving_case, signed_case_file
from liuhen.core.errors import DomainError, NotFound
from liuhen.web.forms import Form
from liuhen.web.views.common import AuthedRequest, case_or_404, require_permission


class DiscForm(Form):
    carrier_type = forms.ChoiceField(label="载体类型", choices=DiscCopy.CarrierType.choices, initial="dvd-r")
    carrier_no = forms.CharField(
        label="载体编号", required=False, max_length=64, help_text="留空则按档号自动编号（如 …-GP01）"
    )


@login_required
@require_POST
def disc_make(request: AuthedRequest, case_id: int) -> HttpResponse | FileResponse:
    if not request.user.can(Permission.CASE_ARCHIVE):
        case_or_404(request, case_id)
        require_permission(request, Permission.CASE_ARCHIVE)
    back = reverse("archive:case_file", kwargs={"case_id": case_id}) + "#discs"
    form = DiscForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "光盘映像未制作：" + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(back)
    try:
        case = archiving_case(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    case_file = signed_case_file(case)
    if case_file is None:
        messages.warning(request, "案卷尚未签署归档，签署后才能制作光盘映像")
        return redirect(back)
    with tempfile.TemporaryDirectory(prefix="liuhen-disc-") as folder:
        path = Path(folder) / f"{case_file.archive_no}.iso"
        try:
            disc = disc_copy_make(
                user=request.user,
                case_no=case.case_no,
                dest=path,
                carrier_no=form.cleaned_data["carrier_no"],
                carrier_type=form.cleaned_data["carrier_type"],
            )
        except DomainError as exc:
            messages.error(request, f"光盘映像未制作：{exc.message}")
            return redirect(back)
        handle = path.open("rb")  # still readable after the folder is removed (POSIX)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{disc.carrier_no}.iso",
        content_type="application/x-iso9660-image",
    )
