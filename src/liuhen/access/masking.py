"""Masking of personal data (ID numbers, phones, home addresses of natural persons). Pure: no Django.

Which blanks hold personal data is catalogue data (``FieldSpec.personal``); a party record's personal
columns are fixed. Values are masked for every role the role table does not clear for
``personal.view`` — in every output, because the access layer masks the records it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from liuhen.catalogue import DocumentType

# Party types (catalogue PARTY_TYPES) that are organisations: their code, address and phone are public.
ORGANISATION_TYPES = frozenset({"legal_person", "other_organization", "organisation"})


def mask_id_number(value: str) -> str:
    """Keep the first three and last four characters (``210***********1234``)."""
    if len(value) <= 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits of a mobile number (``138****5678``)."""
    if len(value) <= 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_address(value: str) -> str:
    """Keep the first six characters (province and city), hide the rest (``辽宁省大连市****``)."""
    if not value:
        return value
    return f"{value[:6]}****" if len(value) > 6 else "****"


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}


def mask_value(kind: str, value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return MASKERS[kind](value)


def _owner_is_organisation(name: str, fields: Mapping[str, Any]) -> bool:
    """``party_id_no`` belongs to ``party_type``; an organisation's code and address are not personal."""
    owner = name.split("_", 1)[0]
    return fields.get(f"{owner}_type") in ORGANISATION_TYPES


@lru_cache(maxsize=256)
def personal_blanks(doc_type: DocumentType) -> tuple[tuple[str, str], ...]:
    """(field name, personal kind) of every blank of the type that can hold personal data (cached:
    the catalogue is fixed for the life of the process)."""
    return tuple((name, spec.personal) for name, spec in doc_type.all_fields().items() if spec.personal)


def personal_field_kinds(doc_type: DocumentType, fields: Mapping[str, Any]) -> dict[str, str]:
    """Field name → personal kind, for the blanks of this document that hold personal data."""
    return {
        name: kind
        for name, kind in personal_blanks(doc_type)
        if fields.get(name) not in (None, "") and not _owner_is_organisation(name, fields)
    }


def holds_personal(doc_type: DocumentType, fields: Mapping[str, Any]) -> bool:
    """Whether any blank of this document holds a natural person's personal data (early exit)."""
    for name, _kind in personal_blanks(doc_type):
        if fields.get(name) not in (None, "") and not _owner_is_organisation(name, fields):
            return True
    return False


def mask_fields(doc_type: DocumentType, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``fields`` with every personal value masked."""
    kinds = personal_field_kinds(doc_type, fields)
    return {
        name: mask_value(kinds[name], value) if name in kinds else value for name, value in fields.items()
    }


def mask_changes(
    doc_type: DocumentType, changes: Mapping[str, Any], fields: Mapping[str, Any]
) -> dict[str, Any]:
    """An amendment's ``{"field": {"from": …, "to": …}}`` with personal values masked."""
    kinds = dict(personal_blanks(doc_type))
    masked: dict[str, Any] = {}
    for name, change in changes.items():
        if name not in kinds or _owner_is_organisation(name, fields):
            masked[name] = change
        else:
            masked[name] = {key: mask_value(kinds[name], value) for key, value in change.items()}
    return masked
