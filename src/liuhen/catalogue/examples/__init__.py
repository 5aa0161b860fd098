"""Realistic example fillings of every document type, for demo data and tests.

Three matters stand behind them: an urban-management 占道经营 case (dalian-cg), an environmental
超标排放 case (gaochang-sthj) and civil-affairs 社会组织 applications (xinglongtai-mz).
"""

from __future__ import annotations

import copy
from typing import Any

from liuhen.catalogue.catalogue import get_type
from liuhen.catalogue.examples import civil, environment, urban, urban_enforcement

_BASE: dict[str, dict[str, Any]] = {
    **urban.EXAMPLES,
    **urban_enforcement.EXAMPLES,
    **environment.EXAMPLES,
    **civil.EXAMPLES,
}
_VARIANTS: dict[str, dict[str, dict[str, Any]]] = urban_enforcement.VARIANTS


def example_fields(code: str, *, variant: str | None = None) -> dict[str, Any]:
    """A fresh, valid example filling of ``code``.

    For a type with variants, ``variant`` picks the value of its variant field (default: the first
    variant that has an example). Raises ``UnknownDocumentType`` for an unknown code and ``KeyError``
    for a type or variant without an example.
    """
    doc_type = get_type(code)
    data = copy.deepcopy(_BASE[code])
    if doc_type.variant_field is None:
        if variant is not None:
            raise KeyError(f"{code} has no variants")
        return data
    extras = _VARIANTS[code]
    chosen = variant if variant is not None else next(iter(extras))
    data[doc_type.variant_field] = chosen
    data.update(copy.deepcopy(extras[chosen]))
    return data


def example_variants(code: str) -> tuple[str, ...]:
    """The variant values that have an example (empty for a type without variants)."""
    return tuple(_VARIANTS.get(code, {}))
