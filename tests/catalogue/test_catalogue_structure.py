"""The catalogue's shape: every shared code present, labels Chinese, names unique, definitions self-checked."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

import pytest

from liuhen.catalogue import (
    CATALOGUE,
    CatalogueDefinitionError,
    DocumentType,
    FieldSpec,
    UnknownDocumentType,
    get_type,
    types_for_stage,
)
from liuhen.catalogue.codes import AV_ACTIVITIES, PROFILES, STAGES
from liuhen.catalogue.fields import choice, text
from liuhen.core.canonical import canonical_bytes

HAN = re.compile(r"[\u4e00-\u9fff]")
CODES_FILE = Path("/tmp/codes.md")

# The document type codes of the shared code list, copied so the test does not depend on /tmp.
SHARED_CODES = {
    "initiation_approval": "立案/程序启动审批表",
    "complaint_registration": "投诉举报登记表",
    "complaint_not_filed_notice": "实名投诉举报不予立案告知记录",
    "application_registration": "申请登记表",
    "application_acceptance": "受理通知书",
    "application_rejection": "不予受理通知书",
    "supplement_notice": "一次性补正告知书",
    "inquiry_record": "询问(调查)笔录",
    "inspection_record": "现场检查(勘验)笔录",
    "sampling_record": "抽样取证笔录及抽样清单",
    "evidence_request_notice": "调取证据通知书",
    "evidence_preservation_list": "证据登记保存清单",
    "seizure_decision": "查封/扣押决定书及清单",
    "rights_notice": "权利告知书",
    "statement_defence_record": "陈述申辩笔录",
    "hearing_notice": "听证通知书",
    "hearing_record": "听证笔录",
    "expert_opinion": "鉴定意见书",
    "expert_panel_minutes": "专家论证会议纪要",
    "investigation_final_report": "调查终结报告",
    "legal_review_opinion": "法制审核意见书",
    "collective_discussion_record": "集体讨论记录",
    "head_approval": "负责人审批表",
    "penalty_decision": "行政处理(处罚)决定书",
    "summary_decision": "简易程序当场处罚决定书",
    "service_receipt": "送达回证",
    "rectification_notice": "责令改正通知书",
    "rectification_check_record": "整改复查记录",
    "performance_record": "履行情况记录",
    "post_supervision_report": "后督察报告",
    "demand_notice": "催告书",
    "enforcement_record": "强制执行记录",
    "court_enforcement_application": "申请法院强制执行书",
    "confiscated_property_record": "罚没财物处理记录",
    "interruption_statement": "音像记录中断情况说明",
    "av_unsuitable_reason": "不适宜音像记录原因说明",
    "case_closing_report": "结案报告",
}


def test_given_the_shared_code_list_when_catalogue_loaded_then_every_code_has_its_title():
    """GIVEN the 37 shared document codes WHEN the catalogue loads THEN each exists with its Chinese title."""
    assert set(CATALOGUE) == set(SHARED_CODES)
    for code, title in SHARED_CODES.items():
        assert CATALOGUE[code].title == title


@pytest.mark.skipif(not CODES_FILE.exists(), reason="shared code list not present on this machine")
def test_given_the_codes_file_when_parsed_then_it_matches_the_catalogue():
    """GIVEN /tmp/codes.md WHEN its document codes are read THEN the catalogue has exactly those."""
    codes = set(re.findall(r"^- `([a-z_]+)`", CODES_FILE.read_text(encoding="utf-8"), re.M))
    assert codes == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(SHARED_CODES))
def test_given_a_type_when_inspected_then_fields_are_unique_identifiers_with_chinese_labels(code):
    """GIVEN a document type WHEN its fields (and variant fields) are listed THEN names are unique
    snake_case identifiers and every label, help and choice label is Chinese."""
    doc_type = get_type(code)
    names = [spec.name for spec in doc_type.fields]
    assert len(names) == len(set(names))
    for specs in doc_type.variants.values():
        variant_names = [spec.name for spec in specs]
        assert len(variant_names) == len(set(variant_names))
        assert not set(variant_names) & set(names)
    for spec in doc_type.all_fields().values():
        assert spec.name.isidentifier() and not keyword.iskeyword(spec.name)
        assert re.fullmatch(r"[a-z][a-z0-9_]*", spec.name)
        assert HAN.search(spec.label), spec.name
        assert not spec.help or HAN.search(spec.help)
        assert all(HAN.search(label) for _, label in spec.choices)
    assert any(spec.required for spec in doc_type.fields)


@pytest.mark.parametrize("code", sorted(SHARED_CODES))
def test_given_a_type_when_described_then_citations_stages_and_schema_are_sound(code):
    """GIVEN a document type WHEN described THEN it cites real profiles, names known stages and its
    schema description is canonical JSON."""
    doc_type = get_type(code)
    assert doc_type.citations
    for citation in doc_type.citations:
        profile, article = citation.split("§")
        assert profile in PROFILES and article.isdigit()
    assert set(doc_type.stages) <= set(STAGES)
    assert canonical_bytes(doc_type.as_dict())


def test_given_the_variant_types_when_inspected_then_variants_follow_the_shared_codes():
    """GIVEN 送达回证, 强制执行记录, 查封扣押 WHEN their variants are read THEN they are keyed by the shared codes."""
    assert get_type("service_receipt").variant_field == "method"
    assert set(get_type("service_receipt").variants) == {
        "direct",
        "left_at_residence",
        "entrusted",
        "mail",
        "public_notice",
    }
    assert get_type("enforcement_record").variant_field == "method"
    assert set(get_type("enforcement_record").variants) == {
        "surcharge",
        "deposit_transfer",
        "auction_disposal",
        "removal_restoration",
        "substitute_performance",
        "other",
    }
    assert get_type("seizure_decision").variant_field == "measure"
    assert set(get_type("seizure_decision").variants) == {"seal_premises", "seize_property", "seal_facility"}


def test_given_av_activity_fields_when_read_then_they_offer_exactly_the_shared_activity_codes():
    """GIVEN the A/V statements WHEN their activity field is read THEN it lists the 20 shared activity codes."""
    for code in ("av_unsuitable_reason", "interruption_statement"):
        assert get_type(code).get_field("activity").choices == AV_ACTIVITIES
    assert len(AV_ACTIVITIES) == 20


def test_given_statutory_requirements_when_read_then_the_key_forms_carry_them():
    """GIVEN the regulations' field lists WHEN the key forms are read THEN the required blanks are there."""
    approval = get_type("initiation_approval").all_fields()
    for name in ("start_reason", "case_source", "case_facts", "party_name", "handler_opinion", "filled_on"):
        assert approval[name].required
    assert {"unit_opinion", "head_opinion"} <= set(approval)
    inquiry = get_type("inquiry_record").all_fields()
    for name in ("inquiry_started_at", "inquiry_ended_at", "officer_count", "officer_certificate_nos"):
        assert inquiry[name].required
    assert inquiry["rights_notified"].kind == "list" and inquiry["rights_notified"].choices
    summary_items = get_type("summary_decision").all_fields()
    for name in ("applicability", "procedure_steps", "party_statement", "statement_review"):
        assert summary_items[name].required
    assert {"filing_record", "collection_process", "other_records"} <= set(summary_items)
    assert get_type("rectification_notice").get_field("due_date").kind == "date"
    assert get_type("interruption_statement").get_field("officer_names").min_items == 2


def test_given_issued_and_signed_types_when_flags_read_then_they_match_the_forms():
    """GIVEN documents given to the party WHEN flags read THEN they bear seal/date and have an issue date field."""
    for doc_type in CATALOGUE.values():
        if doc_type.issued_to_party:
            assert "issued_on" in doc_type.field_names, doc_type.code
            assert "doc_number" in doc_type.field_names, doc_type.code
    assert get_type("inquiry_record").party_signs
    assert get_type("penalty_decision").issued_to_party
    assert not get_type("legal_review_opinion").issued_to_party


def test_given_a_stage_when_types_listed_then_only_types_of_that_stage_in_catalogue_order():
    """GIVEN a stage WHEN types_for_stage is called THEN it returns exactly the types made in that stage."""
    initiation = types_for_stage("initiation")
    assert [t.code for t in initiation][0] == "initiation_approval"
    assert all("initiation" in t.stages for t in initiation)
    summary_decisions = types_for_stage("decision", procedure="summary")
    assert "summary_decision" in {t.code for t in summary_decisions}
    assert "penalty_decision" not in {t.code for t in summary_decisions}
    assert types_for_stage("archived") == ()
    with pytest.raises(ValueError):
        types_for_stage("nonsense")


def test_given_an_unknown_code_when_looked_up_then_unknown_document_type():
    """GIVEN a code not in the catalogue WHEN get_type is called THEN UnknownDocumentType (a KeyError)."""
    with pytest.raises(UnknownDocumentType):
        get_type("no_such_form")
    assert issubclass(UnknownDocumentType, KeyError)


def test_given_inconsistent_definitions_when_built_then_they_are_refused():
    """GIVEN broken field or type definitions WHEN constructed THEN CatalogueDefinitionError."""
    with pytest.raises(CatalogueDefinitionError):
        FieldSpec("BadName", "名称", "text")
    with pytest.raises(CatalogueDefinitionError):
        FieldSpec("name", "English only", "text")
    with pytest.raises(CatalogueDefinitionError):
        FieldSpec("name", "名称", "choice")
    with pytest.raises(CatalogueDefinitionError):
        FieldSpec("name", "名称", "float")
    base = dict(code="x_form", title="测试表", stages=("investigation",), procedures=("general",))
    with pytest.raises(CatalogueDefinitionError):
        DocumentType(**base, fields=(text("a", "甲"), text("a", "乙")), citations=("dalian-cg§8",))
    with pytest.raises(CatalogueDefinitionError):
        DocumentType(**base, fields=(text("a", "甲"),), citations=("nowhere§8",))
    with pytest.raises(CatalogueDefinitionError):
        DocumentType(
            **base,
            fields=(choice("m", "方式", (("p", "甲"), ("q", "乙"))),),
            variant_field="m",
            variants={"p": ()},
            citations=("dalian-cg§8",),
        )
