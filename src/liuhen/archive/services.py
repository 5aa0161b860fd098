"""Writes of the archivist: the assembly (a working draft), the 立卷人's and the 检查人's signatures.
Each signature is a record and a ledger entry in one transaction; the 检查人's signature takes the 档号
from the series counter and moves the case to 归档 through the stage service, passing the case file it
has just recorded (the only way into 归档), after which the case is read-only. A later addition is a
补充归档 (:mod:`liuhen.archive.supplements`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.archive import assembly
from liuhen.archive.models import (
    CaseFile,
    CaseFileCompilation,
    CaseFileDraft,
)
from liuhen.archive.numbering import format_archive_no, next_seq
from liuhen.archive.retention import ArchiveSettings, holds_for, period_for
from liuhen.archive.selectors import canonical, latest_compilation, settings_for
from liuhen.cases.models import Case, Document
from liuhen.cases.services.cases import case_transition
from liuhen.cases.services.common import require, require_same_agency
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied, invalid
from liuhen.core.stages import Stage
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

MAX_NOTES = 4000


def require_archivist(by: User, case: Case, settings: ArchiveSettings) -> None:
    """``case.archive``, the case's agency, and the role the profile has sign case files."""
    require(by, Permission.CASE_ARCHIVE)
    require_same_agency(by, case)
    if not by.has_role(settings.signer_role):
        label = ROLE_LABELS.get(Role(settings.signer_role), settings.signer_role)
        raise PermissionDenied(f"只有{label}可以立卷、检查并签署案卷")


def _require_assembling(case: Case) -> None:
    if CaseFile.objects.filter(case=case).exists():
        raise Conflict(f"案件 {case.case_no} 的案卷已签署归档，如需补充请办理补充归档")
    if case.stage != Stage.CLOSED:
        raise Conflict(f"案件 {case.case_no} 尚未结案，执法行为终结后才能整理案卷")


def _current(case: Case, by: User, settings: ArchiveSettings) -> tuple[list[assembly.Item], str]:
    draft = CaseFileDraft.objects.filter(case=case).first()
    items = assembly.items_of(case, settings=settings, user=by, order=draft.order if draft else None)
    return items, draft.notes if draft else ""


@transaction.atomic
def case_file_draft_save(
    *, case: Case, by: User, order: Sequence[str] | None = None, notes: str | None = None
) -> CaseFileDraft:
    """Keep the archivist's order (inside each stage only) and the 卷内情况说明. A working draft: no
    record, no ledger entry; the 立卷人's signature is what makes it count."""
    settings = settings_for(case)
    require_archivist(by, case, settings)
    case = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    _require_assembling(case)
    draft = CaseFileDraft.objects.filter(case=case).first()
    if order is not None:
        default = assembly.items_of(case, settings=settings, user=by, order=None)
        assembly.apply_order(default, list(order))
    if notes is not None and len(notes) > MAX_NOTES:
        raise invalid("notes", "too_long", f"卷内情况说明不能超过{MAX_NOTES}字")
    values = {
        "order": list(order) if order is not None else (draft.order if draft else []),
        "notes": notes.strip() if notes is not None else (draft.notes if draft else ""),
        "updated_at": clock.now(),
        "updated_by": by,
    }
    draft, _ = CaseFileDraft.objects.update_or_create(case=case, defaults=values)
    return draft


@transaction.atomic
def case_file_compile(*, case: Case, by: User) -> CaseFileCompilation:
    """The 立卷人 signs the case file as assembled now."""
    settings = settings_for(case)
    require_archivist(by, case, settings)
    case = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    _require_assembling(case)
    items, notes = _current(case, by, settings)
    if not items:
        raise Conflict(f"案件 {case.case_no} 没有可归档的文书或音像记录")
    now = clock.now()
    compilation = CaseFileCompilation.objects.create(
        case=case,
        items=[i.as_dict() for i in items],
        notes=notes,
        digest=assembly.digest_of(items, notes),
        compiled_by=by,
        compiled_at=now,
    )
    ledger_append(
        action="archive.case_file_compiled",
        actor=by,
        agency=case.agency,
        case=case,
        objects={"compilation": compilation.pk, "case": case.pk},
        details={
            "digest": compilation.digest,
            "items": len(items),
            STATE_KEY: row_states(compilation=compilation.pk),
        },
        at=now,
    )
    return compilation


@transaction.atomic
def case_file_sign(*, case: Case, by: User) -> CaseFile:
    """The 检查人 (another person of the same role) checks and signs: the case file becomes a record
    with its 档号, and the case moves to 归档 and is read-only from then on."""
    settings = settings_for(case)
    require_archivist(by, case, settings)
    # of=self: PostgreSQL cannot lock the nullable side of the outer joins to handler and unit
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency", "handler", "unit")
        .get(pk=case.pk)
    )
    _require_assembling(case)
    compilation = latest_compilation(case)
    if compilation is None:
        raise Conflict("立卷人尚未签署，检查人不能签署")
    if compilation.compiled_by_id == by.pk:
        raise PermissionDenied("立卷人与检查人须为两人：请由另一位档案管理员检查并签署")
    items, notes = _current(case, by, settings)
    if assembly.digest_of(items, notes) != compilation.digest:
        raise Conflict("案卷在立卷人签署后有改动，须由立卷人重新签署")
    holds = holds_for(agency_profile(case.agency), case=case)
    period = period_for(settings, procedure=case.procedure, holds=holds, flags=case.flags)
    retention = period.retention
    now = clock.now()
    year = now.astimezone(clock.SHANGHAI).year
    counter, seq = next_seq(agency=case.agency, year=year, retention=retention)
    archive_no = format_archive_no(settings, year=year, retention=retention, seq=seq)
    cover = _cover(case, items, retention=retention, archive_no=archive_no, compilation=compilation, by=by)
    body = {
        "archive_no": archive_no,
        "retention": retention,
        "holds": [h.as_dict() for h in holds],
        "items": compilation.items,
        "cover": cover,
        "notes": notes,
        "compilation": compilation.digest,
    }
    case_file = CaseFile.objects.create(
        case=case,
        agency=case.agency,
        compilation=compilation,
        archive_no=archive_no,
        year=year,
        seq=seq,
        retention=retention,
        retention_basis=period.basis,
        holds=body["holds"],
        items=compilation.items,
        cover=cover,
        notes=notes,
        compiled_by=compilation.compiled_by,
        compiled_at=compilation.compiled_at,
        checked_by=by,
        checked_at=now,
        digest=_sha256(canonical(body)),
    )
    ledger_append(
        action="archive.case_file_signed",
        actor=by,
        agency=case.agency,
        case=case,
        objects={"case_file": case_file.pk, "case": case.pk, "archive_counter": counter.pk},
        details={
            "archive_no": archive_no,
            "retention": retention,
            "holds": [h.citation for h in holds],
            "digest": case_file.digest,
            STATE_KEY: row_states(case_file=case_file.pk, archive_counter=counter.pk),
        },
        at=now,
    )
    case_transition(
        case=case,
        by=by,
        to_stage=Stage.ARCHIVED,
        reason=f"案卷已签署归档，档号 {archive_no}",
        case_file=case_file,
    )
    from liuhen.archive.disposal import case_file_retention_lock  # the contents' write-once lock

    case_file_retention_lock(case_file=case_file)
    return case_file


def _cover(
    case: Case,
    items: list[assembly.Item],
    *,
    retention: str,
    archive_no: str,
    compilation: CaseFileCompilation,
    by: User,
) -> dict:
    decision = (
        Document.objects.filter(case=case, doc_type__in=("penalty_decision", "summary_decision"))
        .exclude(number="")
        .order_by("created_at")
        .values_list("number", flat=True)
        .first()
    )
    local = clock.SHANGHAI
    return {
        "title": case.cause,
        "parties": sorted(case.parties.values_list("name", flat=True)),
        "decision_no": decision or "",
        "unit": case.unit.name if case.unit else case.agency.name,
        "handlers": [case.handler.display_name],
        "opened_on": case.opened_at.astimezone(local).date().isoformat(),
        "closed_on": case.enforcement_ended_at.astimezone(local).date().isoformat()
        if case.enforcement_ended_at
        else "",
        "retention": retention,
        "pieces": len(items),
        "pages": sum(i.pages for i in items),
        "archive_no": archive_no,
        "compiled_by": compilation.compiled_by.display_name,
        "checked_by": by.display_name,
        "compiled_on": compilation.compiled_at.astimezone(local).date().isoformat(),
    }


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
