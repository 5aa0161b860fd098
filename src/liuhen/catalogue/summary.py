"""One-line Chinese summaries of filled documents, for case timelines."""

from __future__ import annotations

import re
from typing import Any

from liuhen.catalogue.fields import FieldSpec
from liuhen.catalogue.types import DocumentType

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
LONGTEXT_EXCERPT = 30


def summary(doc_type: DocumentType, clean: dict[str, Any]) -> str:
    """E.g. ``询问(调查)笔录：被询问人 王某某，2026-03-02 09:30``.

    Each of the type's ``summary_parts`` is filled from ``clean`` (the output of ``validate_fields``);
    a part naming an empty field is left out.
    """
    specs = doc_type.all_fields()
    parts = [_render(part, specs, clean) for part in doc_type.summary_parts]
    filled = [part for part in parts if part]
    if not filled:
        return doc_type.title
    return f"{doc_type.title}：{'，'.join(filled)}"


def _render(part: str, specs: dict[str, FieldSpec], clean: dict[str, Any]) -> str:
    names = _PLACEHOLDER.findall(part)
    if any(clean.get(name) in (None, "", []) for name in names):
        return ""
    return _PLACEHOLDER.sub(lambda match: display_value(specs[match.group(1)], clean[match.group(1)]), part)


def display_value(spec: FieldSpec, value: Any) -> str:
    """A clean value as an officer reads it: choice labels, ``是/否``, ``2026-03-02 09:30``."""
    if spec.kind == "boolean":
        return "是" if value else "否"
    if spec.kind == "choice":
        return spec.choice_label(value)
    if spec.kind == "list":
        return "、".join(spec.choice_label(item) for item in value)
    if spec.kind == "datetime":
        return f"{value[:10]} {value[11:16]}"
    if spec.kind == "longtext":
        line = " ".join(str(value).split())
        return line if len(line) <= LONGTEXT_EXCERPT else line[:LONGTEXT_EXCERPT] + "…"
    return " ".join(str(value).split())
