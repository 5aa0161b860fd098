"""Helpers shared by the case services."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.core.errors import Conflict, PermissionDenied


def require(user: User, permission: Permission) -> None:
    if not user.can(permission):
        raise PermissionDenied(f"您的角色无权执行此操作（需要权限 {permission.value}）")


def require_stored(*records: object) -> None:
    """Refuse a record as shown to a reader (personal data masked by the access layer) where the stored
    row is needed: an amendment computed from masked fields would record a wrong body. A programming
    error, never a user's: adapters fetch what they change with ``action="change"``."""
    for record in records:
        if getattr(record, "_liuhen_masked", False):
            raise TypeError(
                f"{type(record).__name__} {getattr(record, 'pk', '?')} is a masked copy, not the row"
            )


def require_same_agency(user: User, case: Case) -> None:
    """Writes are only ever made by staff of the case's own agency (supervisors read, never write)."""
    if user.agency_id != case.agency_id:
        raise PermissionDenied("只有本机关人员可以修改本机关的案件")


def refresh_compliance(case: Case) -> None:
    """Recompute the case's stored compliance findings; every service calls this last, inside its
    transaction, so that lists and dashboards never show findings older than the records."""
    from liuhen.compliance.services import compliance_refresh

    compliance_refresh(case=case)


def require_open(case: Case) -> None:
    if case.read_only:
        raise Conflict(f"案件 {case.case_no} 已归档，不能再添加记录")
