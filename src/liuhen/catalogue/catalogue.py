"""The catalogue of document types (文书目录): every statutory form the system knows, by code."""

from __future__ import annotations

from types import MappingProxyType

from liuhen.catalogue.codes import STAGES
from liuhen.catalogue.definitions import (
    decision,
    enforcement,
    initiation,
    investigation,
    proceedings,
    service,
)
from liuhen.catalogue.types import DocumentType


class UnknownDocumentType(KeyError):
    """Raised for a document type code that is not in the catalogue."""


def _build() -> dict[str, DocumentType]:
    catalogue: dict[str, DocumentType] = {}
    for module in (initiation, investigation, proceedings, decision, service, enforcement):
        for doc_type in module.TYPES:
            if doc_type.code in catalogue:
                raise ValueError(f"document type {doc_type.code!r} defined twice")
            catalogue[doc_type.code] = doc_type
    return catalogue


CATALOGUE: MappingProxyType[str, DocumentType] = MappingProxyType(_build())


def get_type(code: str) -> DocumentType:
    """The document type with ``code``; raises ``UnknownDocumentType`` if there is none."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownDocumentType(code) from None


def types_for_stage(stage: str, *, procedure: str | None = None) -> tuple[DocumentType, ...]:
    """Types typically made in ``stage`` (optionally only those used in ``procedure``), catalogue order."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return tuple(
        doc_type
        for doc_type in CATALOGUE.values()
        if stage in doc_type.stages and (procedure is None or procedure in doc_type.procedures)
    )
