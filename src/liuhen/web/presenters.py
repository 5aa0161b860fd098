"""How records look on the page: the stage path, document fields as label/value rows, timeline badges.
Pure formatting of what the selectors returned; no queries, no Django."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liuhen.catalogue import DocumentType, FieldSpec, display_value
from liuhen.catalogue.signoffs import SignedBlock, filled_in
from liuhen.core.stages import STAGE_LABELS, Stage, next_stage

TIMELINE_KINDS: dict[str, str] = {
    "opened": "立案",
    "transition": "阶段",
    "document": "文书",
    "signature": "签名",
    "refusal": "拒签",
    "amendment": "更正",
    "approval": "审批",
    "media": "音像",
}


@dataclass(frozen=True)
class StageStep:
    code: str
    label: str
    state: str  # done, current, todo


def stage_path(procedure: str, current: str) -> list[StageStep]:
    """The stages a case of ``procedure`` passes through, each marked done, current or to do."""
    path: list[str] = [Stage.INITIATION]
    while (following := next_stage(procedure, path[-1])) is not None:
        path.append(following)
    if current not in path:  # a stage off the main path: show it as current at the end
        path.append(current)
    position = path.index(current)
    return [
        StageStep(
            code, STAGE_LABELS[code], "done" if i < position else "current" if i == position else "todo"
        )
        for i, code in enumerate(path)
    ]


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: str
    long: bool = False
    amended: bool = False
    signed_by: str = ""  # a sign-off block: who gave it and when
    pending: str = ""  # a sign-off block not given yet: by which step it will be


def field_rows(
    doc_type: DocumentType,
    fields: Mapping[str, Any],
    amended: frozenset[str] = frozenset(),
    signed: Sequence[SignedBlock] = (),
) -> list[FieldRow]:
    """The filled fields of a document in form order, as an officer reads them (long texts in full).
    Sign-off blocks (负责人意见 …) show the signer's own words with who and when, or, while not given,
    which approval step gives them."""
    rows = []
    given = {s.block.opinion: s for s in signed}
    values = filled_in(fields, signed)
    for name, spec in doc_type.all_fields().items():
        block = doc_type.signoff_of(name)
        if block is not None and name == block.opinion and name not in given:
            rows.append(FieldRow(spec.label, "", long=True, pending=f"待签署人以{block.steps_zh}填写"))
            continue
        value = values.get(name)
        if value in (None, "", []) or (block is not None and name != block.opinion):
            continue  # the block's date and signer are said beside its opinion
        shown = str(value) if spec.kind == "longtext" else display_value(spec, value)
        by = given[name].attribution if name in given else ""
        rows.append(FieldRow(spec.label, shown, spec.kind == "longtext", name in amended, signed_by=by))
    return rows


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


def change_rows(doc_type: DocumentType, changes: Mapping[str, Mapping[str, Any]]) -> list[ChangeRow]:
    """An amendment's ``{"field": {"from": old, "to": new}}`` as labelled before/after rows."""
    specs = doc_type.all_fields()
    rows = []
    for name, change in changes.items():
        spec = specs.get(name)
        if spec is None:
            rows.append(ChangeRow(name, str(change.get("from")), str(change.get("to"))))
            continue
        rows.append(ChangeRow(spec.label, _shown(spec, change.get("from")), _shown(spec, change.get("to"))))
    return rows


def _shown(spec: FieldSpec, value: Any) -> str:
    if value in (None, "", []):
        return "（空）"
    return str(value) if spec.kind == "longtext" else display_value(spec, value)
