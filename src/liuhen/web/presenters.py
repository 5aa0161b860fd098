"""How records look on the page: the stage path, document fields as label/value rows, timeline badges.
Pure formatting of what the selectors returned; no queries, no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from liuhen.catalogue import DocumentType, FieldSpec, display_value
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


def field_rows(
    doc_type: DocumentType, fields: Mapping[str, Any], amended: frozenset[str] = frozenset()
) -> list[FieldRow]:
    """The filled fields of a document in form order, as an officer reads them (long texts in full)."""
    rows = []
    specs = doc_type.all_fields()
    for name, spec in specs.items():
        value = fields.get(name)
        if value in (None, "", []):
            continue
        shown = str(value) if spec.kind == "longtext" else display_value(spec, value)
        rows.append(FieldRow(spec.label, shown, long=spec.kind == "longtext", amended=name in amended))
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
