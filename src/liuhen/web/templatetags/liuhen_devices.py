"""Template helpers of the device pages and of the device warning beside footage."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def by_id(rows: dict, key: object) -> object:
    """``{{ last_checks|by_id:device.pk }}``: the row kept for that id, or None."""
    try:
        return rows.get(int(key))  # type: ignore[call-overload]
    except (AttributeError, TypeError, ValueError):
        return None
