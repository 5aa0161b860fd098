"""Roles and what each may do. Pure data: no Django."""

from __future__ import annotations

from enum import StrEnum

from liuhen.core import codes


class Role(StrEnum):
    OFFICER = "officer"
    HANDLER = "handler"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    LEGAL_UNIT = "legal_unit"
    HEAD = "head"
    ARCHIVIST = "archivist"
    DEVICE_CUSTODIAN = "device_custodian"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_LABELS: dict[str, str] = {
    Role.OFFICER: "执法人员",
    Role.HANDLER: "承办人",
    Role.REVIEWER: "审核人",
    Role.APPROVER: "批准人",
    Role.LEGAL_UNIT: "法制审核",
    Role.HEAD: "机关负责人",
    Role.ARCHIVIST: "档案管理员",
    Role.DEVICE_CUSTODIAN: "设备管理员",
    Role.SUPERVISOR: "执法监督（司法局）",
    Role.ADMIN: "系统管理员",
}


class Permission(StrEnum):
    CASE_VIEW = "case.view"
    CASE_OPEN = "case.open"
    CASE_TRANSITION = "case.transition"
    CASE_ARCHIVE = "case.archive"
    # the 销毁清册 (approved disposal): see, propose, approve in the role the profile names, execute
    ARCHIVE_DISPOSAL = "archive.disposal"
    CASE_OVERRIDE_GATE = "case.override_gate"  # move a case past unmet mandatory rules, with a reason
    DOCUMENT_CREATE = "document.create"
    DOCUMENT_SIGN = "document.sign"
    DOCUMENT_AMEND = "document.amend"
    APPROVAL_RECORD = "approval.record"
    MEDIA_UPLOAD = "media.upload"
    MEDIA_VIEW = "media.view"
    CONFIDENTIAL_VIEW = "confidential.view"
    # full ID numbers, phones and home addresses of natural persons (parties and document fields);
    # without it they are masked in every output. Each full view is a ledger entry.
    PERSONAL_DATA_VIEW = "personal.view"
    DEVICE_MANAGE = "device.manage"
    ALERT_MANAGE = "alert.manage"  # integrity alerts of the user's own agency (and system-wide ones)
    USER_MANAGE = "user.manage"
    # Governed access (issue #13; R6). Play any A/V and read any record of the visible agencies without
    # a grant: the roles that review, approve and supervise the cases. Everyone else plays the footage of
    # their own unit's cases that are not archived, and asks (调阅/复制) for anything beyond.
    RECORDS_OVERSEE = "records.oversee"
    # the access log (who viewed, played, copied, released what) and its anomaly flags (R7.3)
    ACCESS_LOG_VIEW = "access_log.view"
    # the desk for parties' and agents' requests to see or copy records (R6.2): register, decide, redact
    DISCLOSURE_HANDLE = "disclosure.handle"
    # file a request to view, copy or release records beyond one's standing right (调阅/复制/对外提供):
    # everyone who works in an agency; the justice bureau's supervisors read what they supervise already
    ACCESS_REQUEST = "access.request"
    # Supervision (issue #14; longjiang-cg§22, xinle-fg§30, xinle-fg§32). See the check register, the
    # case-file reviews, the statistics and the publication clock of the visible agencies: the legal
    # unit, the head and the justice bureau's supervisor (all it supervises).
    SUPERVISION_VIEW = "supervision.view"
    # announce spot checks (抽查), draw, judge the checklist, issue rectification requests: the legal unit
    # (longjiang-cg§22) and the bureau's supervisor, for the agencies it supervises
    SPOT_CHECK_MANAGE = "spot_check.manage"
    # score case files (案卷评查) and run review campaigns: the legal unit and the bureau (xinle-fg§32)
    FILE_REVIEW_MANAGE = "file_review.manage"
    # record that a decision was published (执法公示) and export the 双公示 data set
    PUBLICATION_MANAGE = "publication.manage"


_CASE_WORK = {
    Permission.CASE_VIEW,
    Permission.CASE_OPEN,
    Permission.CASE_TRANSITION,
    Permission.DOCUMENT_CREATE,
    Permission.DOCUMENT_SIGN,
    Permission.DOCUMENT_AMEND,
    Permission.MEDIA_UPLOAD,
    Permission.MEDIA_VIEW,
    Permission.PERSONAL_DATA_VIEW,
}
_APPROVING = {
    Permission.CASE_VIEW,
    Permission.APPROVAL_RECORD,
    Permission.DOCUMENT_SIGN,
    Permission.MEDIA_VIEW,
    Permission.PERSONAL_DATA_VIEW,
    Permission.RECORDS_OVERSEE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(_CASE_WORK),
    Role.HANDLER: frozenset(_CASE_WORK | {Permission.APPROVAL_RECORD}),
    Role.REVIEWER: frozenset(_APPROVING | {Permission.CASE_TRANSITION}),
    Role.APPROVER: frozenset(_APPROVING | {Permission.CASE_TRANSITION, Permission.CONFIDENTIAL_VIEW}),
    Role.LEGAL_UNIT: frozenset(
        _APPROVING
        | {
            Permission.CONFIDENTIAL_VIEW,
            Permission.CASE_OVERRIDE_GATE,
            Permission.ACCESS_LOG_VIEW,
            Permission.DISCLOSURE_HANDLE,
            Permission.SUPERVISION_VIEW,
            Permission.SPOT_CHECK_MANAGE,
            Permission.FILE_REVIEW_MANAGE,
            Permission.PUBLICATION_MANAGE,
        }
    ),
    Role.HEAD: frozenset(
        _APPROVING
        | {
            Permission.CASE_TRANSITION,
            Permission.CONFIDENTIAL_VIEW,
            Permission.CASE_OVERRIDE_GATE,
            Permission.DEVICE_MANAGE,
            Permission.ARCHIVE_DISPOSAL,
            Permission.ACCESS_LOG_VIEW,
            Permission.DISCLOSURE_HANDLE,
            Permission.SUPERVISION_VIEW,
            Permission.PUBLICATION_MANAGE,
        }
    ),
    Role.ARCHIVIST: frozenset(
        {Permission.CASE_VIEW, Permission.CASE_ARCHIVE, Permission.MEDIA_VIEW, Permission.ARCHIVE_DISPOSAL}
    ),
    Role.DEVICE_CUSTODIAN: frozenset({Permission.CASE_VIEW, Permission.DEVICE_MANAGE}),
    Role.SUPERVISOR: frozenset(
        {
            Permission.CASE_VIEW,
            Permission.MEDIA_VIEW,
            Permission.RECORDS_OVERSEE,
            Permission.ACCESS_LOG_VIEW,
            Permission.SUPERVISION_VIEW,
            Permission.SPOT_CHECK_MANAGE,
            Permission.FILE_REVIEW_MANAGE,
        }
    ),
    Role.ADMIN: frozenset(
        {Permission.CASE_VIEW, Permission.USER_MANAGE, Permission.DEVICE_MANAGE, Permission.ALERT_MANAGE}
    ),
}

ROLE_PERMISSIONS = {
    role: perms | {Permission.ACCESS_REQUEST} if role != Role.SUPERVISOR else perms
    for role, perms in ROLE_PERMISSIONS.items()
}

# Which roles may record which approval step (R1.7; dalian-cg§28).
APPROVAL_ROLES: dict[str, frozenset[Role]] = {
    "handler_proposal": frozenset({Role.HANDLER, Role.OFFICER}),
    "review": frozenset({Role.REVIEWER}),
    "approval": frozenset({Role.APPROVER, Role.HEAD}),
    "legal_review": frozenset({Role.LEGAL_UNIT}),
    "collective_discussion": frozenset({Role.HEAD, Role.LEGAL_UNIT}),
    "head_approval": frozenset({Role.HEAD}),
    "late_approval": frozenset({Role.HEAD}),
}

APPROVAL_KIND_LABELS: dict[str, str] = dict(codes.APPROVAL_KINDS)


def approval_kinds_for(roles: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The approval steps a user holding ``roles`` may record (handler proposals need no
    ``approval.record``; every other step does)."""
    granted = permissions_for(roles)
    return frozenset(
        kind
        for kind, allowed in APPROVAL_ROLES.items()
        if any(r in allowed for r in roles)
        and (kind == "handler_proposal" or Permission.APPROVAL_RECORD in granted)
    )


def may_author(roles: list[str] | tuple[str, ...], author_roles: tuple[str, ...]) -> bool:
    """Whether a user holding ``roles`` writes a document type whose catalogue entry names
    ``author_roles`` (the legal unit its 法制审核意见书, the head its 负责人审批表); a type naming none is
    written by whoever holds ``document.create``. Each role writes its own part, so an officer does not
    type the legal unit's opinion."""
    if author_roles:
        return any(role in author_roles for role in roles)
    return Permission.DOCUMENT_CREATE in permissions_for(roles)


def writes_documents(roles: list[str] | tuple[str, ...]) -> bool:
    """Whether a user holding ``roles`` writes any document type at all (and so has drafts and the
    new-document form): ``document.create``, or a role the catalogue names as an author."""
    from liuhen.catalogue import CATALOGUE  # the catalogue is pure data; imported here, not at load

    return any(may_author(roles, spec.author_roles) for spec in CATALOGUE.values())


def permissions_for(roles: list[str] | tuple[str, ...]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for name in roles:
        granted |= ROLE_PERMISSIONS.get(Role(name), frozenset())
    return frozenset(granted)
