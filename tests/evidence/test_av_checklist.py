"""The selector of the 音像记录事项清单: the agency's own items for an activity, with their citations."""

from __future__ import annotations

import pytest

from liuhen.evidence.checklist import av_checklist, av_checklists
from liuhen.rules.citations import cite_zh
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def test_given_longjiang_when_asking_for_inquiry_then_its_article_10_items_come_with_chinese_citations():
    """GIVEN an agency on longjiang-cg WHEN the inquiry checklist is read THEN it holds §10's item on the
    party's oral statements, cited in Chinese to the regulation's article 10."""
    agency = make_agency(profile_id="longjiang-cg")
    items = av_checklist(agency, "inquiry")
    assert any("陈述申辩" in item.text_zh for item in items)
    assert {item.citation for item in items} == {"longjiang-cg§10"}
    assert cite_zh("longjiang-cg§10") == "《龙江县城市管理综合执法大队行政执法全过程记录制度》第10条"
    inspection = av_checklist(agency, "inspection")
    assert "勘验、检查的现场环境" in [i.text_zh for i in inspection]


def test_given_an_agency_without_a_profile_or_an_unlisted_activity_then_there_are_no_items():
    """GIVEN an agency without a profile, and one whose regulation says nothing about inquiries THEN both
    checklists are empty."""
    assert av_checklist(make_agency(), "inquiry") == []
    assert av_checklists(make_agency()) == []
    assert av_checklist(make_agency(profile_id="dalian-cg"), "inquiry") == []


def test_given_longjiang_when_listing_all_then_activities_follow_the_form_order_with_citations_in_words():
    """GIVEN longjiang-cg WHEN every activity's list is read THEN inspection comes first, and each item's
    citation is the Chinese words, never the code."""
    lists = av_checklists(make_agency(profile_id="longjiang-cg"))
    assert lists[0].activity == "inspection" and lists[0].activity_zh == "现场检查(勘验)"
    assert all("§" not in cite and cite.endswith("条") for cl in lists for _, cite in cl.items)
