"""The device registry's pages (R4): the list, registering a device, and a device's page with its history
and the custodian's actions — hand out, return, pre-duty check, fault, repair, retirement.

Anyone of the agency may read the registry (as in the API); changing it needs ``device.manage``. Every
change is one call of ``liuhen.evidence.services.devices``, which writes the event and its ledger entry."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liuhen.access.scope import Action
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.accounts.selectors import colleagues
from liuhen.core.errors import DomainError, NotFound
from liuhen.evidence import selectors
from liuhen.evidence.device_states import DEVICE_EVENT_LABELS, DeviceTransitionError, next_status
from liuhen.evidence.models import Device
from liuhen.evidence.services.devices import device_event, device_register
from liuhen.web.forms import add_service_errors
from liuhen.web.forms_devices import (
    CheckForm,
    DeviceFilterForm,
    DeviceRegisterForm,
    HandOutForm,
    NoteForm,
)
from liuhen.web.views.common import AuthedRequest, require_permission

# the note each note-only event asks for, and whether it must be given
_NOTES: dict[str, tuple[str, bool]] = {
    "returned": ("归还情况", False),
    "fault": ("故障情况", True),
    "repaired": ("维修情况", True),
    "retired": ("报废原因", True),
}


@dataclass(frozen=True)
class ActionPanel:
    """One action the device's page offers: its event kind, its title and its (possibly bound) form."""

    kind: str
    title: str
    form: forms.Form
    open: bool = False


def device_or_404(request: AuthedRequest, device_id: int, action: Action = "view") -> Device:
    try:
        return selectors.device_get(user=request.user, device_id=device_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def device_list(request: AuthedRequest) -> HttpResponse:
    form = DeviceFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    devices = list(selectors.device_list(user=request.user, status=status))
    context = {
        "form": form,
        "devices": devices,
        "last_checks": selectors.device_last_checks(devices),
    }
    return render(request, "web/devices.html", context, status=422 if form.errors else 200)


@login_required
def device_new(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.DEVICE_MANAGE)
    form = DeviceRegisterForm(request.POST or None, units=selectors.device_units(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            device = device_register(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
            return render(request, "web/devices_new.html", {"form": form}, status=exc.status)
        messages.success(request, f"设备 {device.number} 已登记，状态为「在库」")
        return redirect("web:device_detail", device_id=device.pk)
    return render(request, "web/devices_new.html", {"form": form}, status=422 if form.is_bound else 200)


@login_required
def device_detail(request: AuthedRequest, device_id: int) -> HttpResponse:
    return _render_detail(request, device_or_404(request, device_id))


@login_required
@require_POST
def device_event_add(request: AuthedRequest, device_id: int, kind: str) -> HttpResponse:
    device_or_404(request, device_id)  # another agency's device is 404 whoever asks
    require_permission(request, Permission.DEVICE_MANAGE)
    if kind not in DEVICE_EVENT_LABELS or kind == "registered":
        raise Http404("没有这种设备操作")
    device = device_or_404(request, device_id, "change")
    form = _event_form(request.user, kind, request.POST)
    if not form.is_valid():
        return _render_detail(request, device, failed=ActionPanel(kind, _title(kind), form, True), status=422)
    data = dict(form.cleaned_data)
    try:
        event = device_event(device=device, by=request.user, kind=kind, **data)
    except DomainError as exc:
        add_service_errors(form, exc)
        failed = ActionPanel(kind, _title(kind), form, True)
        return _render_detail(request, device, failed=failed, status=exc.status)
    _tell(request, device, event.kind, event.check_passed)
    return redirect("web:device_detail", device_id=device.pk)


def _tell(request: AuthedRequest, device: Device, kind: str, passed: bool | None) -> None:
    if kind == "checked" and not passed:
        messages.warning(
            request, f"设备 {device.number} 使用前检查不合格，已停止使用（状态：故障），修复前不能领用"
        )
    else:
        messages.success(request, f"设备 {device.number}：已记录{DEVICE_EVENT_LABELS[kind]}")


def _title(kind: str) -> str:
    return DEVICE_EVENT_LABELS[kind]


def _holders(user: User):
    """The people a device may be handed out to: the agency's staff who record (执法人员)."""
    return User.objects.filter(
        pk__in=[p.pk for p in colleagues(user=user) if p.can(Permission.MEDIA_UPLOAD)]
    ).order_by("full_name", "username")


def _event_form(user: User, kind: str, data=None) -> forms.Form:
    prefix = kind
    if kind == "handed_out":
        return HandOutForm(data, holders=_holders(user), prefix=prefix)
    if kind == "checked":
        return CheckForm(data, prefix=prefix)
    label, required = _NOTES[kind]
    return NoteForm(data, note_label=label, note_required=required, prefix=prefix)


def _possible(status: str, kind: str) -> bool:
    try:
        next_status(status, kind)
    except DeviceTransitionError:
        return False
    return True


def _panels(request: AuthedRequest, device: Device, failed: ActionPanel | None) -> list[ActionPanel]:
    """The actions the device's status allows, for a user who may manage the agency's devices."""
    user = request.user
    if not user.can(Permission.DEVICE_MANAGE) or user.agency_id != device.agency_id:
        return []
    kinds = [k for k in DEVICE_EVENT_LABELS if k != "registered" and _possible(device.status, k)]
    panels = [
        ActionPanel(k, _title(k), _event_form(user, k)) for k in kinds if failed is None or k != failed.kind
    ]
    return [failed, *panels] if failed is not None else panels  # a refused action stays in view, open


def _render_detail(
    request: AuthedRequest, device: Device, *, failed: ActionPanel | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "device": device,
        "history": selectors.device_history(device),
        "last_check": selectors.device_last_checks([device]).get(device.pk),
        "panels": _panels(request, device, failed),
    }
    return render(request, "web/devices_detail.html", context, status=status)
