"""The bridge between the catalogue's field names and the names the rule profiles read.

The profiles were written against the regulations' wording (``officers``, ``reasons``,
``document_name`` …); the catalogue names its form fields after the printed forms
(``officer_names``, ``served_doc_title`` …). :func:`rule_fields` returns a document's current
fields plus, under the profiles' names, the values they correspond to. Where a value is not typed
on the form but recorded elsewhere in the case (who drafted a decision, when a demand notice was
served, whether the agency's seal is on it) it is derived from those records.

Names a profile reads that neither the form nor the case records are listed in
:data:`UNMAPPED`; such a rule stays unmet until the catalogue gains the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# rule field -> catalogue field, for every document type that has the catalogue field
RENAMED: dict[str, tuple[str, ...]] = {
    "officers": ("officer_names",),
    "certificate_nos": ("officer_certificate_nos",),
    "basic_facts": ("case_facts",),
    "date": ("filled_on",),
    "rights": ("rights_notified",),
    "notice_method": ("rights_notice_method",),
    "sample_list": ("sample_items",),
    "reviewer": ("reviewer_names",),
    "considerations": ("discretion",),
    "applicability_basis": ("applicability",),
    "steps_documents": ("procedure_steps",),
    "party_statements": ("party_statement",),
    "fine_collected_on_spot": ("on_spot_collection",),
    "fine_collection_process": ("collection_process",),
    "document_name": ("served_doc_title",),
    "recipient": ("recipient_name",),
    "refusal_date": ("refused_on",),
    "mailing_register_no": ("mail_tracking_no",),
    "postal_receipt_no": ("postage_receipt_no",),
    "other_methods_failed": ("failed_methods",),
    "notice_document_kept": ("notice_copy_kept",),
    "application_documents": ("attachments",),
    "verbatim_statements": ("party_statement",),
}

# per document type: rule field -> catalogue field(s); the first filled one wins
RENAMED_BY_TYPE: dict[str, dict[str, tuple[str, ...]]] = {
    "legal_review_opinion": {"opinion": ("review_opinion",)},
    "head_approval": {"opinion": ("head_opinion",)},
    "expert_panel_minutes": {"opinions": ("conclusion",)},
    "service_receipt": {"reasons": ("failed_methods",)},
    "penalty_decision": {"reasons": ("facts", "statement_review")},
    "court_enforcement_application": {"result": ("enforcement_result",)},
    "initiation_approval": {"party_info": ("party_name",)},
    # what is sealed or seized: the premises, the items, or the pollution facility (one per measure)
    "seizure_decision": {"subject": ("premises_address", "seized_items", "facility_name", "facility_items")},
}

# Names the shipped profiles read that no form records (reported, not guessed).
UNMAPPED: frozenset[tuple[str, str]] = frozenset(
    {
        ("application_registration", "needs_supplement"),
        ("enforcement_record", "demolition"),
        ("evidence_preservation_list", "page_count"),
    }
)

_MARK_ROLES = frozenset({"officer", "reviewer", "approver", "head"})


@dataclass(frozen=True, slots=True)
class DocFacts:
    """What the case records about one document besides its own fields."""

    doc_type: str
    fields: Mapping[str, Any]
    drafter: str
    signatures: tuple[tuple[str, str, bool], ...]  # (role, method, cross_page_seal)


CaseDocs = Mapping[str, list[Any]]  # doc type -> documents (with .fields), for cross-document lookups
Derivation = Callable[[DocFacts, CaseDocs, Mapping[str, Any]], Any]


def _served_at(facts: DocFacts, docs: CaseDocs, extra: Mapping[str, Any]) -> Any:
    """When the document was served: the receipt naming its number (or, failing that, its title)."""
    number = facts.fields.get("doc_number")
    for receipt in docs.get("service_receipt", ()):
        fields = receipt.fields
        if number and fields.get("served_doc_number") == number:
            return fields.get("served_at")
    for receipt in docs.get("service_receipt", ()):
        if "催告" in str(receipt.fields.get("served_doc_title", "")):
            return receipt.fields.get("served_at")
    return None


def _agency_seal(facts: DocFacts, docs: CaseDocs, extra: Mapping[str, Any]) -> bool:
    return any(method == "seal" and role in _MARK_ROLES for role, method, _ in facts.signatures)


def _court_result(facts: DocFacts, docs: CaseDocs, extra: Mapping[str, Any]) -> Any:
    ruling = facts.fields.get("court_ruling")
    return facts.fields.get("enforcement_result") or (ruling if ruling not in (None, "", "pending") else None)


DERIVED: dict[str, dict[str, Derivation]] = {
    "rights_notice": {"notice_method": lambda f, d, x: "written"},  # the notice is the written telling
    "demand_notice": {"served_at": _served_at},
    "penalty_decision": {
        "drafter": lambda f, d, x: f.drafter,
        "unit_reviewer": lambda f, d, x: x.get("unit_reviewer"),
        "agency_seal": _agency_seal,
    },
    "court_enforcement_application": {"result": _court_result},
}


def _first_filled(fields: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = fields.get(name)
        if value not in (None, "", [], False):
            return value
    return None


def rule_fields(facts: DocFacts, docs: CaseDocs, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The document's fields under both the catalogue's and the profiles' names."""
    fields = dict(facts.fields)
    have = fields.keys()
    for rule_name, sources in RENAMED.items():
        if rule_name not in have and any(s in have for s in sources):
            fields[rule_name] = _first_filled(facts.fields, sources)
    for rule_name, sources in RENAMED_BY_TYPE.get(facts.doc_type, {}).items():
        fields[rule_name] = _first_filled(facts.fields, sources)
    for rule_name, derive in DERIVED.get(facts.doc_type, {}).items():
        if fields.get(rule_name) in (None, ""):
            fields[rule_name] = derive(facts, docs, extra)
    if "cross_page_seal" not in have:
        fields["cross_page_seal"] = any(cross for _, _, cross in facts.signatures)
    return fields
