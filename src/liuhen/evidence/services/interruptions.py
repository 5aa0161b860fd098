"""Interruptions of A/V recording (R3.4; longjiang-cg§13, xinle-fg§22).

On resuming, the officer explains the interruption on the recording itself (a spoken-explanation
clip); if recording could not resume, a written ``interruption_statement`` signed by two officers.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case, Document
from liuhen.cases.services.common import refresh_compliance, require, require_open, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import invalid
from liuhen.evidence.models import INTERRUPTION_REASONS, Interruption, MediaRecord
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

STATEMENT_TYPE = "interruption_statement"


@transaction.atomic
def interruption_record(
    *,
    case: Case,
    recorded_by: User,
    reason: str,
    interrupted_at: datetime,
    resumed_at: datetime | None = None,
    detail: str = "",
    device_no: str = "",
    explanation_media: MediaRecord | None = None,
    statement: Document | None = None,
) -> Interruption:
    require(recorded_by, Permission.MEDIA_UPLOAD)
    require_same_agency(recorded_by, case)
    require_open(case)
    if reason not in dict(INTERRUPTION_REASONS):
        raise invalid("reason", "invalid", f"中断原因须为 {'/'.join(dict(INTERRUPTION_REASONS))}")
    if resumed_at is not None and resumed_at < interrupted_at:
        raise invalid("resumed_at", "before_start", "恢复时间早于中断时间")
    _check_explanation(case, resumed_at, explanation_media, statement)
    now = clock.now()
    item = Interruption.objects.create(
        case=case,
        reason=reason,
        detail=detail,
        device_no=device_no,
        interrupted_at=interrupted_at,
        resumed_at=resumed_at,
        explanation_media=explanation_media,
        statement=statement,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    ledger_append(
        action="av.interruption",
        actor=recorded_by,
        agency=case.agency,
        case=case,
        objects={"interruption": item.pk},
        details={
            "reason": reason,
            "interrupted_at": interrupted_at.isoformat(),
            "resumed_at": resumed_at.isoformat() if resumed_at else None,
            "explanation_media": explanation_media.pk if explanation_media else None,
            "statement": statement.pk if statement else None,
            "device_no": device_no,
            STATE_KEY: row_states(interruption=item.pk),
        },
        at=now,
    )
    refresh_compliance(case)
    return item


def _check_explanation(
    case: Case, resumed_at: datetime | None, clip: MediaRecord | None, statement: Document | None
) -> None:
    if clip is None and statement is None:
        raise invalid("explanation", "required", "须有恢复录制时的语音说明，或两名执法人员签名的书面说明")
    if resumed_at is None and statement is None:
        raise invalid("statement_id", "required", "未能恢复录制的，须有两名执法人员签名的书面情况说明")
    if clip is not None:
        if clip.case_id != case.pk:
            raise invalid("explanation_media_id", "not_found", f"音像记录 {clip.pk} 不属于本案件")
        if clip.kind not in (MediaRecord.Kind.AUDIO, MediaRecord.Kind.VIDEO):
            raise invalid("explanation_media_id", "invalid", "语音说明须为录音或录像")
    if statement is not None:
        if statement.case_id != case.pk or statement.doc_type != STATEMENT_TYPE:
            raise invalid("statement_id", "invalid", "书面说明须为本案件的《音像记录中断情况说明》")
        if officer_signers(statement) < 2:
            raise invalid("statement_id", "signatures", "书面说明须有两名执法人员签名")


def officer_signers(statement: Document) -> int:
    """How many distinct officers signed the statement."""
    signers = {
        s.signer_user_id or s.signer_name for s in statement.signatures.all() if s.signer_role == "officer"
    }
    return len(signers)
