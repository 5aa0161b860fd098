"""The JSON shapes of the spot-check API (shared by the web pages' presenters): Chinese labels beside
codes, links to the cases the evidence names."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from liuhen.spotchecks import selectors, services
from liuhen.spotchecks.models import Rectification, SpotCheck, SpotCheckJudgement
from liuhen.spotchecks.selectors import SampleSheet


def case_url(case_id: int) -> str:
    return reverse("web:case_detail", args=[case_id])


def check_out(check: SpotCheck, *, detail: bool = False) -> dict:
    drawn = getattr(check, "draw", None)
    out: dict = {
        "id": check.pk,
        "number": check.number,
        "title": check.title,
        "agency": check.agency.name,
        "target_agency": check.target_agency.name,
        "target_agency_id": check.target_agency_id,
        "period_basis": check.period_basis,
        "period_basis_label": check.get_period_basis_display(),
        "period_from": check.period_from,
        "period_to": check.period_to,
        "what": check.what,
        "what_label": check.get_what_display(),
        "sample_size": check.sample_size,
        "unit_ids": check.unit_ids,
        "officer_ids": check.officer_ids,
        "procedures": check.procedures,
        "scope_text": services.scope_text(check),
        "announced_by": check.announced_by.display_name,
        "announced_at": check.announced_at,
        "drawn": drawn is not None,
    }
    if detail:
        out["announcement_entry"] = services.announcement_entry(check).index
        out["draw"] = None
        if drawn is not None:
            out["draw"] = {
                "checkpoint_size": drawn.checkpoint_size,
                "checkpoint_root": drawn.checkpoint_root,
                "seed": drawn.seed,
                "population_count": drawn.population_count,
                "population_sha256": drawn.population_sha256,
                "drawn_by": drawn.drawn_by.display_name,
                "drawn_at": drawn.drawn_at,
                "sample": [
                    {"id": s.pk, "position": s.position, "case_id": s.case_id, "case_no": s.key}
                    for s in selectors.samples_of(check)
                ],
            }
    return out


def _evidence(items: list[dict]) -> list[dict]:
    return [{**e, "case_url": case_url(e["case_id"])} for e in items]


def judgement_out(j: SpotCheckJudgement) -> dict:
    return {
        "id": j.pk,
        "verdict": j.verdict,
        "verdict_label": services.VERDICTS[j.verdict],
        "auto_verdict": j.auto_verdict,
        "overridden": j.overridden,
        "remark": j.remark,
        "judged_by": j.judged_by.display_name,
        "judged_at": j.judged_at,
    }


def sheet_out(sheet: SampleSheet) -> dict:
    case = sheet.sample.case
    return {
        "sample_id": sheet.sample.pk,
        "position": sheet.sample.position,
        "case_id": case.pk,
        "case_no": case.case_no,
        "case_url": case_url(case.pk),
        "unit": case.unit.name if case.unit else "",
        "handler": case.handler.display_name if case.handler else "",
        "items": [
            {
                "item_id": row.item.id,
                "text": row.item.text_zh,
                "basis": row.item.basis_zh,
                "auto": bool(row.item.auto),
                "suggested": row.suggestion.verdict if row.suggestion else "",
                "suggested_label": services.VERDICTS.get(row.suggestion.verdict, "待人工检查")
                if row.suggestion
                else "人工检查",
                "evidence": _evidence(row.suggestion.evidence) if row.suggestion else [],
                "judgement": judgement_out(row.latest) if row.latest else None,
                "history": [judgement_out(j) for j in row.history[1:]],
                "rectification_id": row.rectification.pk if row.rectification else None,
                "rectification_state": row.rectification_state,
            }
            for row in sheet.items
        ],
    }


def rectification_out(r: Rectification) -> dict:
    state = services.rectification_state(r)
    return {
        "id": r.pk,
        "number": r.number,
        "check_id": r.check_ref_id,
        "check_number": r.check_ref.number,
        "case_id": r.sample.case_id,
        "case_no": r.sample.case.case_no,
        "case_url": case_url(r.sample.case_id),
        "item": r.judgement.item_text,
        "problem": r.judgement.remark,
        "requirement": r.requirement,
        "to": r.addressee_user.display_name
        if r.addressee_user
        else (r.addressee_unit.name if r.addressee_unit else ""),
        "due_on": r.due_on,
        "basis": r.basis,
        "state": state,
        "state_label": services.STATE_LABELS[state],
        "overdue": selectors.rectification_is_overdue(r, state),
        "issued_by": r.issued_by.display_name,
        "issued_at": r.issued_at,
        "responses": [
            {"text": x.text, "by": x.by.display_name, "at": x.at}
            for x in r.responses.select_related("by").order_by("id")
        ],
        "reviews": [
            {"closed": x.closed, "remark": x.remark, "by": x.by.display_name, "at": x.at}
            for x in r.reviews.select_related("by").order_by("id")
        ],
    }


def register_out(row: SpotCheckJudgement, today: date) -> dict:
    cells = selectors.register_cells(row, today)
    return {
        "id": row.pk,
        "check_id": row.sample.check_ref_id,
        "case_id": row.sample.case_id,
        "verdict": row.verdict,
        "rectification_state": selectors.register_state(row, today),
        **dict(
            zip(
                [
                    "check_number",
                    "check_title",
                    "target_agency",
                    "case_no",
                    "unit",
                    "handler",
                    "item",
                    "verdict_label",
                    "auto_label",
                    "evidence",
                    "remark",
                    "rectification_number",
                    "rectification_due",
                    "rectification_state_label",
                    "judged_by",
                    "judged_at",
                ],
                cells,
                strict=True,
            )
        ),
    }
