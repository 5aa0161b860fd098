"""The device registry (R4): every change is a ``DeviceEvent`` and a ledger entry, in one transaction."""

from __future__ import annotations

from django.db import transaction

from liuhen.accounts.models import OrgUnit, User
from liuhen.accounts.roles import Role
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied, invalid
from liuhen.evidence.device_states import DeviceTransitionError, check_passes, next_status
from liuhen.evidence.models import Device, DeviceEvent
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

_MANAGERS = {Role.DEVICE_CUSTODIAN, Role.ADMIN, Role.HEAD}


def _require_manager(user: User) -> None:
    if not any(user.has_role(r) for r in _MANAGERS):
        raise PermissionDenied("只有设备管理员可以登记和变更设备")


@transaction.atomic
def device_register(
    *,
    by: User,
    number: str,
    kind: str,
    model_name: str = "",
    unit: OrgUnit | None = None,
    custodian: User | None = None,
) -> Device:
    _require_manager(by)
    number = number.strip()
    if not number:
        raise invalid("number", "required", "设备编号为必填项")
    if kind not in Device.Kind.values:
        raise invalid("kind", "invalid", f"设备类型须为 {'/'.join(Device.Kind.values)}")
    if by.agency is None:
        raise Conflict("用户未归属任何机关，不能登记设备")
    if Device.objects.filter(agency=by.agency, number=number).exists():
        raise Conflict(f"设备编号 {number} 已登记")
    for person, field in ((custodian, "custodian"),):
        if person is not None and person.agency_id != by.agency_id:
            raise invalid(field, "not_found", "人员不属于本机关")
    if unit is not None and unit.agency_id != by.agency_id:
        raise invalid("unit", "not_found", "内设机构不属于本机关")
    now = clock.now()
    device = Device.objects.create(
        agency=by.agency,
        number=number,
        kind=kind,
        model_name=model_name,
        unit=unit,
        custodian=custodian or by,
        status="available",
        registered_at=now,
    )
    _event(device, "registered", by=by, at=now, details={"kind": kind, "model": model_name})
    return device


@transaction.atomic
def device_event(
    *,
    device: Device,
    by: User,
    kind: str,
    holder: User | None = None,
    battery_percent: int | None = None,
    free_storage_mb: int | None = None,
    functions_ok: bool = True,
    note: str = "",
) -> DeviceEvent:
    """Hand out, return, check, report a fault, repair or retire ``device`` (see ``device_states``).

    A pre-duty check fails on low battery, too little free storage, or a function the checker found
    not working (``functions_ok``: lens, clock, recording); a device that fails it is out of use at
    once, as after a fault report (longjiang-cg§14, xinle-fg§24, xinle-fg§26): faulty, with nobody
    holding it, until it is repaired."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    _authorise_event(device, by, kind)
    try:
        status = next_status(device.status, kind)
    except DeviceTransitionError as exc:
        raise Conflict(str(exc)) from None
    passed = None
    if kind == "checked":
        passed = _check_result(battery_percent, free_storage_mb) and functions_ok
        if not passed:
            status = next_status(device.status, "fault")
    if kind == "handed_out":
        if holder is None or holder.agency_id != device.agency_id:
            raise invalid("holder", "required", "领用须指定本机关的领用人")
    elif kind != "checked":
        holder = None
    device.status = status
    if kind in ("handed_out", "returned", "retired", "fault") or status == "faulty":
        device.holder = holder if kind == "handed_out" else None
    device.save(update_fields=["status", "holder"])
    return _event(
        device,
        kind,
        by=by,
        at=clock.now(),
        holder=holder or None,
        battery_percent=battery_percent,
        free_storage_mb=free_storage_mb,
        check_passed=passed,
        note=note,
    )


def _check_result(battery_percent: int | None, free_storage_mb: int | None) -> bool:
    """Whether the measured battery and free storage are enough; refuses a reading that cannot be."""
    if battery_percent is None or free_storage_mb is None:
        raise invalid("battery_percent", "required", "使用前检查须填写电量和剩余存储空间")
    if not 0 <= battery_percent <= 100:
        raise invalid("battery_percent", "out_of_range", "电量须在 0 至 100 之间")
    if free_storage_mb < 0:
        raise invalid("free_storage_mb", "out_of_range", "剩余存储空间不能为负数")
    return check_passes(battery_percent=battery_percent, free_storage_mb=free_storage_mb)


def _authorise_event(device: Device, by: User, kind: str) -> None:
    if by.agency_id != device.agency_id:
        raise PermissionDenied("只能变更本机关的设备")
    holder_may = kind in ("checked", "fault") and device.holder_id == by.pk
    if not holder_may:
        _require_manager(by)


def _event(device: Device, kind: str, *, by: User, at, details: dict | None = None, **fields) -> DeviceEvent:
    event = DeviceEvent.objects.create(
        device=device, kind=kind, status_after=device.status, at=at, by=by, **fields
    )
    holder = fields.get("holder")
    ledger_append(
        action=f"device.{kind}",
        actor=by,
        agency=device.agency,
        objects={"device": device.pk, "device_event": event.pk},
        details={
            "number": device.number,
            "status": device.status,
            "holder": holder.username if holder else None,
            "battery_percent": fields.get("battery_percent"),
            "free_storage_mb": fields.get("free_storage_mb"),
            "check_passed": fields.get("check_passed"),
            "note": fields.get("note", ""),
            **(details or {}),
            STATE_KEY: row_states(device=device.pk, device_event=event.pk),
        },
        at=at,
    )
    return event
