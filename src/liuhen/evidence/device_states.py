"""The life of a recording device (R4) as a table plus a function. Pure: no Django."""

from __future__ import annotations

DEVICE_STATUS_LABELS: dict[str, str] = {
    "available": "在库",
    "issued": "已领用",
    "faulty": "故障",
    "retired": "已报废",
}

DEVICE_EVENT_LABELS: dict[str, str] = {
    "registered": "登记",
    "handed_out": "领用",
    "returned": "归还",
    "checked": "使用前检查",
    "fault": "故障报告",
    "repaired": "维修完成",
    "retired": "报废",
}

# event -> {status before: status after}; an event missing for a status is not allowed from it.
_TRANSITIONS: dict[str, dict[str, str]] = {
    "handed_out": {"available": "issued"},
    "returned": {"issued": "available"},
    "checked": {"available": "available", "issued": "issued"},
    "fault": {"available": "faulty", "issued": "faulty"},
    "repaired": {"faulty": "available"},
    "retired": {"available": "retired", "faulty": "retired"},
}

# A pre-duty check fails below these (R4: battery and free storage checked before duty).
MIN_BATTERY_PERCENT = 80
MIN_FREE_STORAGE_MB = 4096


class DeviceTransitionError(ValueError):
    """The event is not possible in the device's current status."""


def next_status(current: str, event: str) -> str:
    """The status a device with status ``current`` has after ``event``; raises if not allowed."""
    if event not in _TRANSITIONS:
        raise DeviceTransitionError(f"unknown device event {event!r}")
    allowed = _TRANSITIONS[event]
    if current not in allowed:
        raise DeviceTransitionError(
            f"设备当前状态为「{DEVICE_STATUS_LABELS.get(current, current)}」，不能{DEVICE_EVENT_LABELS[event]}"
        )
    return allowed[current]


def check_passes(*, battery_percent: int, free_storage_mb: int) -> bool:
    """Whether a pre-duty check passes (enough battery and free storage for a shift)."""
    return battery_percent >= MIN_BATTERY_PERCENT and free_storage_mb >= MIN_FREE_STORAGE_MB
