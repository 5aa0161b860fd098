"""Every document field a shipped profile reads is on the catalogue's form or derived by the bridge —
except the few listed as unmapped, which stay unmet until the catalogue records them."""

import pytest

from liuhen.catalogue import get_type
from liuhen.compliance.fields import DERIVED, RENAMED, RENAMED_BY_TYPE, UNMAPPED, DocFacts, rule_fields
from liuhen.rules import load_profile, shipped_profile_ids


def _form_fields(doc_type):
    spec = get_type(doc_type)
    names = {f.name for f in spec.fields}
    for extra in (spec.variants or {}).values():
        names |= {f.name for f in extra}
    return names


def _read_by_rules():
    for profile_id in shipped_profile_ids():
        for rule in load_profile(profile_id).rules:
            applies = rule.applies_to
            if "document_type" not in applies:
                continue
            names = (
                set(rule.params.get("fields", ()))
                | set(applies.get("where", {}))
                | set(applies.get("where_min", {}))
            )
            for key in ("min_items", "allowed_values", "must_include"):
                names |= set(rule.params.get(key, {}))
            types = applies["document_type"]
            for doc_type in [types] if isinstance(types, str) else types:
                for name in names:
                    yield doc_type, name


def _resolvable(doc_type, name):
    form = _form_fields(doc_type)
    if name in form or name == "cross_page_seal" or name in DERIVED.get(doc_type, {}):
        return True
    if name in RENAMED_BY_TYPE.get(doc_type, {}):
        return True
    return any(source in form for source in RENAMED.get(name, ()))


def test_given_the_shipped_profiles_then_every_field_they_read_resolves_or_is_listed_as_unmapped():
    unresolved = {(t, n) for t, n in _read_by_rules() if not _resolvable(t, n)}
    assert unresolved == set(UNMAPPED)


@pytest.mark.parametrize(
    ("doc_type", "fields", "expected"),
    [
        ("inquiry_record", {"officer_names": ["张伟", "李娜"]}, {"officers": ["张伟", "李娜"]}),
        (
            "service_receipt",
            {"served_doc_title": "处罚决定书", "refused_on": "2026-03-01"},
            {"document_name": "处罚决定书", "refusal_date": "2026-03-01"},
        ),
        ("head_approval", {"head_opinion": "同意"}, {"opinion": "同意"}),
        (
            "penalty_decision",
            {"facts": "", "statement_review": "未采纳"},
            {"reasons": "未采纳", "drafter": "张伟"},
        ),
    ],
)
def test_given_catalogue_fields_when_bridged_then_the_profiles_names_carry_the_same_values(
    doc_type, fields, expected
):
    facts = DocFacts(doc_type=doc_type, fields=fields, drafter="张伟", signatures=())
    bridged = rule_fields(facts, {}, {})
    assert {k: bridged[k] for k in expected} == expected
    assert all(bridged[k] == v for k, v in fields.items())  # the form's own names stay


def test_given_a_demand_notice_when_its_receipt_names_its_number_then_it_counts_as_served():
    class Receipt:
        fields = {"served_doc_number": "催〔2026〕1号", "served_at": "2026-03-05T10:00:00+08:00"}

    facts = DocFacts("demand_notice", {"doc_number": "催〔2026〕1号"}, "张伟", ())
    assert (
        rule_fields(facts, {"service_receipt": [Receipt()]}, {})["served_at"] == "2026-03-05T10:00:00+08:00"
    )
    unserved = DocFacts("demand_notice", {"doc_number": "催〔2026〕2号"}, "张伟", ())
    assert rule_fields(unserved, {"service_receipt": [Receipt()]}, {})["served_at"] is None


def test_given_signatures_when_bridged_then_the_agency_seal_and_cross_page_mark_are_derived():
    sealed = DocFacts(
        "penalty_decision", {}, "张伟", (("head", "seal", False), ("party", "fingerprint", True))
    )
    fields = rule_fields(sealed, {}, {})
    assert fields["agency_seal"] is True and fields["cross_page_seal"] is True
    party_seal_only = DocFacts("penalty_decision", {}, "张伟", (("party", "seal", False),))
    assert rule_fields(party_seal_only, {}, {})["agency_seal"] is False
