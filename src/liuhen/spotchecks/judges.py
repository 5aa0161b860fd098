"""Judges: what the system can say about one checklist item of one sampled case, and why.

A judge reads the case's stored compliance findings (:class:`liuhen.compliance.models.StoredFinding`,
recomputed from the records by ``liuhen compliance refresh``) and, where no rule of the profile speaks,
the records themselves. It returns a :class:`Suggestion`: a verdict (合格 / 不合格 / 不适用, or none when
the records cannot decide yet) and the evidence, as Chinese sentences naming the finding or record and
the case they belong to. The checker confirms or overrides it (:func:`liuhen.spotchecks.services.judge`).

The codes here are the ones a profile's ``[[spot_check_items]]`` may name in ``auto``; they are listed in
:data:`liuhen.rules.spot_checklist.AUTO_JUDGES` (a test keeps the two in step). An item's ``rules`` (rule
ids) narrows a findings judge to those rules of its profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q

from liuhen.cases.models import Case
from liuhen.compliance.models import CaseCompliance, StoredFinding
from liuhen.core import clock
from liuhen.rules.spot_checklist import SpotCheckItem

PASS, FAIL, NA, NONE = "pass", "fail", "na", ""
BAD = frozenset({"missing", "overdue", "violated"})
STATUS_ZH = {
    "satisfied": "已满足",
    "missing": "缺失",
    "overdue": "已逾期",
    "pending": "待完成",
    "violated": "违规",
}
ARCHIVE_DAYS = 30


@dataclass(frozen=True)
class Suggestion:
    verdict: str  # pass / fail / na, or "" when the records cannot decide (the checker must)
    evidence: list[dict] = field(default_factory=list)  # {"text", "case_id", "finding_id"?, …}


@dataclass
class CaseFacts:
    """What the judges read of one case, loaded once per case."""

    case: Case
    computed: bool
    findings: list[StoredFinding]

    @classmethod
    def load(cls, case: Case) -> CaseFacts:
        return cls(
            case=case,
            computed=CaseCompliance.objects.filter(case=case).exists(),
            findings=list(StoredFinding.objects.filter(case=case).order_by("id")),
        )


def _finding_text(f: StoredFinding) -> str:
    text = f"「{f.title}」{STATUS_ZH.get(f.status, f.status)}"
    if f.status in BAD and f.message:
        text += f"：{f.message}"
    return text


def _evidence(facts: CaseFacts, f: StoredFinding) -> dict:
    return {"text": _finding_text(f), "case_id": facts.case.pk, "finding_id": f.pk, "records": f.record_ids}


def _from_findings(facts: CaseFacts, chosen: Sequence[StoredFinding], none_text: str) -> Suggestion:
    if not facts.computed:
        return Suggestion(NONE, [_note(facts, "本案尚未计算合规检查结果，请人工检查")])
    bad = [f for f in chosen if f.status in BAD]
    if bad:
        return Suggestion(FAIL, [_evidence(facts, f) for f in bad])
    pending = [f for f in chosen if f.status == "pending"]
    if pending:
        return Suggestion(NONE, [_evidence(facts, f) for f in pending])
    if chosen:
        return Suggestion(PASS, [_evidence(facts, f) for f in chosen])
    return Suggestion(NA, [_note(facts, none_text)])


def _note(facts: CaseFacts, text: str, **refs: int) -> dict:
    return {"text": text, "case_id": facts.case.pk, **refs}


def _matcher(
    item: SpotCheckItem, default: Callable[[StoredFinding], bool]
) -> Callable[[StoredFinding], bool]:
    if item.rules:
        wanted = frozenset(item.rules)
        return lambda f: f.rule_id in wanted
    return default


def _findings_judge(default: Callable[[StoredFinding], bool], none_text: str) -> Judge:
    def judge(item: SpotCheckItem, facts: CaseFacts) -> Suggestion:
        match = _matcher(item, default)
        return _from_findings(facts, [f for f in facts.findings if match(f)], none_text)

    return judge


def _archived_in_time(item: SpotCheckItem, facts: CaseFacts) -> Suggestion:
    """The profile's archiving rule where it has one; else the records: archived within 30 days of the
    end of the enforcement action."""
    match = _matcher(item, lambda f: f.rule_id == "archive-within-30-days")
    chosen = [f for f in facts.findings if match(f)]
    if chosen:
        return _from_findings(facts, chosen, "")
    case = facts.case
    if case.enforcement_ended_at is None:
        return Suggestion(NA, [_note(facts, "执法行为尚未终结，尚无归档期限")])
    due = case.enforcement_ended_at + timedelta(days=ARCHIVE_DAYS)
    if case.archived_at is not None:
        days = (case.archived_at - case.enforcement_ended_at).days
        verdict = PASS if case.archived_at <= due else FAIL
        return Suggestion(verdict, [_note(facts, f"执法行为终结后第{days}日归档（期限{ARCHIVE_DAYS}日）")])
    if clock.now() > due:
        return Suggestion(FAIL, [_note(facts, f"执法行为终结已逾{ARCHIVE_DAYS}日，仍未归档")])
    return Suggestion(NONE, [_note(facts, "尚未归档，归档期限未到")])


def _interruptions_explained(item: SpotCheckItem, facts: CaseFacts) -> Suggestion:
    """The profile's interruption rules where it has them; else each interruption recorded on the case
    has its spoken explanation or its written statement."""
    match = _matcher(item, lambda f: f.rule_id.startswith("interruption-"))
    chosen = [f for f in facts.findings if match(f)]
    if chosen:
        return _from_findings(facts, chosen, "")
    from liuhen.evidence.models import Interruption

    rows = list(Interruption.objects.filter(case=facts.case).order_by("interrupted_at", "id"))
    if not rows:
        return Suggestion(NA, [_note(facts, "本案没有音像记录中断")])
    missing = [r for r in rows if r.explanation_media_id is None and r.statement_id is None]
    if missing:
        return Suggestion(
            FAIL,
            [
                _note(facts, f"{len(missing)}次中断既无语音说明也无书面说明", interruption_id=r.pk)
                for r in missing
            ],
        )
    return Suggestion(PASS, [_note(facts, f"{len(rows)}次中断均有说明")])


def _av_linked_to_text(item: SpotCheckItem, facts: CaseFacts) -> Suggestion:
    """The profile's linking rule where it has one; else every A/V record of the case is tied to a text
    record of the same step (at upload, or by a later link)."""
    match = _matcher(item, lambda f: f.rule_id == "av-linked-to-text")
    chosen = [f for f in facts.findings if match(f)]
    if chosen:
        return _from_findings(facts, chosen, "")
    from liuhen.evidence.models import MediaAssignment, MediaDocumentLink, MediaRecord

    assigned = MediaAssignment.objects.filter(
        case=facts.case, withdraws__isnull=True, withdrawn_by__isnull=True
    )
    media = list(
        MediaRecord.objects.filter(Q(case=facts.case) | Q(pk__in=assigned.values("media_id"))).order_by("id")
    )
    if not media:
        return Suggestion(NA, [_note(facts, "本案没有音像记录")])
    linked_later = set(
        MediaDocumentLink.objects.filter(case=facts.case, withdraws__isnull=True, withdrawn_by__isnull=True)
        .exclude(documents=[])
        .values_list("media_id", flat=True)
    )
    unlinked = [m for m in media if not m.linked_documents and m.pk not in linked_later]
    if unlinked:
        return Suggestion(
            FAIL, [_note(facts, f"{_media_name(m)}未关联文字记录", media_id=m.pk) for m in unlinked]
        )
    return Suggestion(PASS, [_note(facts, f"{len(media)}条音像记录均已关联文字记录")])


def _media_name(media) -> str:  # type: ignore[no-untyped-def]
    """How evidence names footage: by its title, but a confidential record only by its number (the
    evidence is shown to checkers who may not read it)."""
    if media.confidential:
        return f"第{media.pk}号音像记录（涉密）"
    return f"音像记录「{media.title}」"


Judge = Callable[[SpotCheckItem, CaseFacts], Suggestion]

JUDGES: dict[str, Judge] = {
    "findings": _findings_judge(lambda f: False, "本案不适用此项所列规则"),
    "av_required": _findings_judge(lambda f: f.rule_kind == "required_av", "本案没有须音像记录的执法环节"),
    "av_upload_in_time": _findings_judge(lambda f: f.av_upload, "本案没有须按时上传的音像记录"),
    "av_labelled": _findings_judge(
        lambda f: f.rule_id in ("av-labels", "av-classification"), "本案没有须标注的音像记录"
    ),
    "signatures_complete": _findings_judge(
        lambda f: f.rule_kind == "required_signatures", "本案没有须签名的文书"
    ),
    "documents_present": _findings_judge(
        lambda f: f.rule_kind == "required_document", "本案没有规则要求的文书"
    ),
    "no_unrelated_recording": _findings_judge(
        lambda f: f.rule_kind == "prohibition", "本案没有禁止性规则的检查结果"
    ),
    "archived_in_time": _archived_in_time,
    "interruptions_explained": _interruptions_explained,
    "av_linked_to_text": _av_linked_to_text,
}


def suggest(item: SpotCheckItem, facts: CaseFacts) -> Suggestion | None:
    """The judge's suggestion for ``item`` (``None``: the item has no judge; the checker decides)."""
    if not item.auto:
        return None
    return JUDGES[item.auto](item, facts)
