"""The form's minimum number of officers and the rule profiles' minimum are the same number."""

from __future__ import annotations

from liuhen.catalogue import get_type
from liuhen.rules.profile import load_profile, shipped_profile_ids


def test_given_a_rule_needing_n_officers_when_the_catalogue_is_read_then_its_forms_refuse_fewer():
    """GIVEN each shipped profile's required_field rules that count officers (min_items.officers) WHEN the
    catalogue's forms they apply to are read THEN 执法人员人数 and the two lists demand at least as many,
    so the form refuses what the compliance engine would flag later."""
    checked = 0
    rules = [(p, rule) for p in shipped_profile_ids() for rule in load_profile(p).rules]
    for profile_id, rule in rules:
        minimum = rule.params.get("min_items", {}).get("officers") if rule.kind == "required_field" else None
        if minimum is None:
            continue
        for code in rule.applies_to.get("document_type", ()):
            doc_type = get_type(code)
            count = doc_type.get_field("officer_count")
            assert count.min_value is not None and count.min_value >= minimum, (profile_id, code)
            assert doc_type.get_field("officer_names").min_items >= minimum, (profile_id, code)
            assert doc_type.get_field("officer_certificate_nos").min_items >= minimum, (profile_id, code)
            checked += 1
    assert checked >= 3  # 询问、现场检查、抽样 in the baseline at least
