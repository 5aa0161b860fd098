"""Document types (文书种类): a statutory form as a tuple of field specs plus its legal context.

A ``DocumentType`` checks itself when built (unique field names, variants matching the variant
field's choices, cross-field checks naming real fields, citations in ``profile§article`` form), so
an inconsistent catalogue fails at import, not in front of an officer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from liuhen.catalogue.codes import PROCEDURES, PROFILES, STAGES
from liuhen.catalogue.fields import CatalogueDefinitionError, FieldSpec
from liuhen.core.codes import APPROVAL_KINDS, ROLE_CODES

CHECK_KINDS = ("ordered", "same_length", "count_of", "required_if", "requires")
_CITATION = re.compile(r"^(" + "|".join(re.escape(p) for p in PROFILES) + r")§\d+$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Check:
    """A cross-field rule of a form.

    - ``ordered``: ``field`` (date/datetime) is not after ``other``.
    - ``same_length``: lists ``field`` and ``other`` have as many items.
    - ``count_of``: integer ``field`` equals the number of items of list ``other``.
    - ``required_if``: ``field`` is required when ``other`` equals ``value`` (or, for a list, holds it).
    - ``requires``: when ``field`` is filled, ``other`` is required too.
    """

    kind: str
    field: str
    other: str
    value: str | bool | None = None

    def names(self) -> tuple[str, str]:
        return (self.field, self.other)


def ordered(earlier: str, later: str) -> Check:
    return Check("ordered", earlier, later)


def same_length(first: str, second: str) -> Check:
    return Check("same_length", first, second)


def count_of(count_field: str, list_field: str) -> Check:
    return Check("count_of", count_field, list_field)


def required_if(name: str, when: str, value: str | bool) -> Check:
    return Check("required_if", name, when, value)


def requires(filled: str, needed: str) -> Check:
    return Check("requires", filled, needed)


_APPROVAL_KIND_CODES = frozenset(code for code, _ in APPROVAL_KINDS)


@dataclass(frozen=True, slots=True)
class SignoffBlock:
    """A block of a shared form that another role fills in under its own login (the 承办机构意见 and the
    负责人意见 on the 立案审批表). The block is not typed by the form's author: it is the latest approval
    step of one of ``approval_kinds`` recorded on the document (its opinion, its date, its signer), so the
    form shows who signed it and when, and a rule that reads ``opinion`` sees what the signer wrote, not
    what a colleague typed for them. ``signer`` names the field that takes the signer's name, where the
    form has one. (The head's block on a 立案审批表 is its 负责人审批, or its 补报审批 after an emergency
    start.)"""

    approval_kinds: tuple[str, ...]
    opinion: str
    signed_on: str
    signer: str = ""

    def names(self) -> tuple[str, ...]:
        return tuple(name for name in (self.opinion, self.signed_on, self.signer) if name)

    @property
    def steps_zh(self) -> str:
        """The approval steps that give the block, as a user reads them: 「负责人审批」或「紧急启动补报审批」."""
        labels = dict(APPROVAL_KINDS)
        return "或".join(f"「{labels[kind]}」" for kind in self.approval_kinds)


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One kind of statutory document (文书).

    ``stages``/``procedures`` say where it is typically made; ``party_signs`` that the party is
    expected to sign it; ``issued_to_party`` that it bears the agency seal and issue date
    (xinle-fg§13). ``author_roles`` names the roles that write this type themselves (法制审核意见书: the
    legal unit; 负责人审批表: the head); empty, it is written by whoever holds ``document.create``. Where the required blanks depend on a choice, ``variant_field`` names that choice
    field and ``variants`` maps each of its values to the extra fields. ``summary_parts`` are
    format strings (``"被询问人 {interviewee_name}"``) joined into a one-line timeline summary; a part
    whose field is empty is left out.
    """

    code: str
    title: str
    stages: tuple[str, ...]
    procedures: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    party_signs: bool = False
    issued_to_party: bool = False
    author_roles: tuple[str, ...] = ()
    variant_field: str | None = None
    variants: Mapping[str, tuple[FieldSpec, ...]] = field(default_factory=dict, hash=False)
    citations: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    summary_parts: tuple[str, ...] = ()
    description: str = ""
    signoffs: tuple[SignoffBlock, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "variants", MappingProxyType(dict(self.variants)))
        _check_type(self)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    def fields_for(self, variant: str | None) -> tuple[FieldSpec, ...]:
        """Base fields plus those of ``variant`` (the value of ``variant_field``)."""
        if self.variant_field is None or variant is None:
            return self.fields
        return self.fields + tuple(self.variants.get(variant, ()))

    def all_fields(self) -> dict[str, FieldSpec]:
        """Every field the type knows, base and all variants, by name."""
        specs: dict[str, FieldSpec] = {spec.name: spec for spec in self.fields}
        for extra in self.variants.values():
            specs.update({spec.name: spec for spec in extra})
        return specs

    def get_field(self, name: str) -> FieldSpec:
        return self.all_fields()[name]

    def signoff_of(self, name: str) -> SignoffBlock | None:
        """The sign-off block ``name`` belongs to; ``None`` for a blank the form's author fills in."""
        return next((block for block in self.signoffs if name in block.names()), None)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe description of the form, for generated forms and API schemas."""
        return {
            "code": self.code,
            "title": self.title,
            "description": self.description,
            "stages": list(self.stages),
            "procedures": list(self.procedures),
            "party_signs": self.party_signs,
            "issued_to_party": self.issued_to_party,
            "author_roles": list(self.author_roles),
            "signoffs": [
                {"approval_kinds": list(b.approval_kinds), "fields": list(b.names())} for b in self.signoffs
            ],
            "fields": [spec.as_dict() for spec in self.fields],
            "variant_field": self.variant_field,
            "variants": {key: [s.as_dict() for s in specs] for key, specs in self.variants.items()},
            "citations": list(self.citations),
            "checks": [
                {"kind": c.kind, "field": c.field, "other": c.other, "value": c.value} for c in self.checks
            ],
        }


def _check_type(doc: DocumentType) -> None:
    where = f"document type {doc.code!r}"
    if not _CODE.match(doc.code):
        raise CatalogueDefinitionError(f"{where}: code must be a snake_case identifier")
    if not doc.title or not set(doc.stages) <= set(STAGES) or not doc.stages:
        raise CatalogueDefinitionError(f"{where}: needs a title and known stages")
    if not doc.procedures or not set(doc.procedures) <= set(PROCEDURES):
        raise CatalogueDefinitionError(f"{where}: procedures must be among {PROCEDURES}")
    if not set(doc.author_roles) <= set(ROLE_CODES):
        raise CatalogueDefinitionError(f"{where}: author_roles must be among {ROLE_CODES}")
    bad = [c for c in doc.citations if not _CITATION.match(c)]
    if bad or not doc.citations:
        raise CatalogueDefinitionError(f"{where}: citations must be 'profile§article': {bad}")
    _check_unique(where, doc.fields)
    _check_variants(where, doc)
    known = doc.all_fields()
    for check in doc.checks:
        if check.kind not in CHECK_KINDS or not set(check.names()) <= set(known):
            raise CatalogueDefinitionError(f"{where}: bad check {check}")
    for part in doc.summary_parts:
        if not set(_PLACEHOLDER.findall(part)) <= set(known):
            raise CatalogueDefinitionError(f"{where}: summary part {part!r} names an unknown field")
    _check_signoffs(where, doc, known)


_SIGNOFF_KINDS = {"opinion": "longtext", "signed_on": "date", "signer": "text"}


def _check_signoffs(where: str, doc: DocumentType, known: dict[str, FieldSpec]) -> None:
    """Each block names an approval step and optional blanks of the right kind that only it fills."""
    for block in doc.signoffs:
        if not block.approval_kinds or not set(block.approval_kinds) <= _APPROVAL_KIND_CODES:
            raise CatalogueDefinitionError(
                f"{where}: sign-off by unknown approval kinds {block.approval_kinds}"
            )
        for part, kind in _SIGNOFF_KINDS.items():
            name = getattr(block, part)
            if not name and part == "signer":
                continue
            spec = known.get(name)
            if spec is None or spec.kind != kind or spec.required:
                raise CatalogueDefinitionError(
                    f"{where}: sign-off field {name!r} must be an optional {kind} field of the form"
                )
    names = [name for block in doc.signoffs for name in block.names()]
    if len(names) != len(set(names)):
        raise CatalogueDefinitionError(f"{where}: a field belongs to two sign-off blocks")
    checked = [c for c in doc.checks if set(c.names()) & set(names)]
    if checked:  # the author never fills these, so a check on them could never run
        raise CatalogueDefinitionError(f"{where}: checks on sign-off fields {checked}")


def _check_unique(where: str, specs: tuple[FieldSpec, ...]) -> None:
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise CatalogueDefinitionError(f"{where}: duplicate field names {sorted(duplicates)}")


def _check_variants(where: str, doc: DocumentType) -> None:
    if doc.variant_field is None:
        if doc.variants:
            raise CatalogueDefinitionError(f"{where}: variants without a variant_field")
        return
    base = {spec.name: spec for spec in doc.fields}
    selector = base.get(doc.variant_field)
    if selector is None or selector.kind != "choice" or not selector.required:
        raise CatalogueDefinitionError(f"{where}: variant_field must be a required choice field")
    if set(doc.variants) != set(selector.choice_values):
        raise CatalogueDefinitionError(f"{where}: variants must match the choices of {doc.variant_field}")
    seen: dict[str, FieldSpec] = {}
    for specs in doc.variants.values():
        _check_unique(where, specs)
        for spec in specs:
            if spec.name in base:
                raise CatalogueDefinitionError(f"{where}: variant field {spec.name!r} repeats a base field")
            if seen.setdefault(spec.name, spec) != spec:
                raise CatalogueDefinitionError(f"{where}: variant field {spec.name!r} defined two ways")
