"""Catalogue of statutory document types (文书) with their field schemas. Pure Python, no Django.

Public API::

    CATALOGUE, get_type(code), types_for_stage(stage, procedure=None), UnknownDocumentType
    FieldSpec, DocumentType, Check
    validate_fields(doc_type, data) -> (clean, [FieldError]), errors_by_field(errors)
    summary(doc_type, clean) -> str, display_value(spec, value) -> str
    example_fields(code, variant=None) -> dict, example_variants(code)
"""

from liuhen.catalogue.catalogue import CATALOGUE, UnknownDocumentType, get_type, types_for_stage
from liuhen.catalogue.examples import example_fields, example_variants
from liuhen.catalogue.fields import KINDS, CatalogueDefinitionError, FieldSpec
from liuhen.catalogue.summary import display_value, summary
from liuhen.catalogue.types import Check, DocumentType
from liuhen.catalogue.validation import FieldError, errors_by_field, validate_fields

__all__ = [
    "CATALOGUE",
    "KINDS",
    "CatalogueDefinitionError",
    "Check",
    "DocumentType",
    "FieldError",
    "FieldSpec",
    "UnknownDocumentType",
    "display_value",
    "errors_by_field",
    "example_fields",
    "example_variants",
    "get_type",
    "summary",
    "types_for_stage",
    "validate_fields",
]
