"""The access log's filters and rows (issue #13): by person, case, record (a grouped read too), period
and purpose; rows in Chinese, Beijing time, the grant's number; only what the scope allows."""

from __future__ import annotations

import pytest

from liuhen.access.reads import Read
from liuhen.accesslog.selectors import access_log_page, parse_filters
from liuhen.core.errors import ValidationFailed
from tests.accesslog.conftest import bj, doc_read, read_at

pytestmark = pytest.mark.django_db


def _rows(user, **params):
    filters = parse_filters(user, {k: str(v) for k, v in params.items()})
    return access_log_page(user=user, filters=filters, limit=100).rows


@pytest.fixture
def reads(world):
    """Four reads: 张伟 views doc1 (one record), then the documents of case 1 (a grouped read), 李娜
    downloads doc2 under a grant, then 张伟 views case 2's party list a day later."""
    w = world
    read_at(bj(2026, 3, 3, 9), user=w.officer, reads=[doc_read(w.doc1)])
    read_at(bj(2026, 3, 3, 10), user=w.officer, reads=[doc_read(w.doc1), doc_read(w.doc2)], purpose="listed")
    read_at(
        bj(2026, 3, 3, 11),
        user=w.officer2,
        reads=[doc_read(w.doc2)],
        purpose="downloaded",
        grant="调阅〔2026〕7号",
    )
    read_at(bj(2026, 3, 4, 23, 30), user=w.officer, reads=[Read(w.case2, ("confidential",))])
    return w


def test_rows_newest_first_in_chinese_with_the_grant(reads):
    """GIVEN four reads WHEN the legal unit reads the log THEN the rows come newest first, each in
    Chinese with Beijing time, the person and unit, the case number, the reasons and the grant."""
    rows = _rows(reads.legal)
    assert [r.at_text for r in rows] == [
        "2026-03-04 23:30:00",
        "2026-03-03 11:00:00",
        "2026-03-03 10:00:00",
        "2026-03-03 09:00:00",
    ]
    download = rows[1]
    assert (download.person, download.unit) == ("李娜", "执法二中队")
    assert download.what == "下载文书「现场检查(勘验)笔录」"
    assert download.grant == "调阅〔2026〕7号"
    assert download.case_no == reads.case1.case_no
    assert download.reasons == ("个人信息",)
    assert rows[2].what == "列表浏览文书「询问(调查)笔录」「现场检查(勘验)笔录」"
    assert rows[0].what == f"查看案件「{reads.case2.case_no}」" and rows[0].reasons == ("涉密",)


def test_filter_by_person_case_period_and_purpose(reads):
    """GIVEN four reads WHEN filtered by person, by case (id or number), by period and by purpose THEN
    only the matching rows come back."""
    w = reads
    assert {r.person for r in _rows(w.legal, person=w.officer2.pk)} == {"李娜"}
    assert len(_rows(w.legal, case=w.case1.case_no)) == 3
    assert len(_rows(w.legal, case=w.case2.pk)) == 1
    assert [r.at_text for r in _rows(w.legal, **{"from": "2026-03-04", "to": "2026-03-04"})] == [
        "2026-03-04 23:30:00"
    ]
    assert len(_rows(w.legal, **{"to": "2026-03-03"})) == 3
    assert [r.purpose for r in _rows(w.legal, purpose="downloaded")] == ["downloaded"]


def test_filter_by_record_matches_a_grouped_read(reads):
    """GIVEN doc1 read alone and within a grouped read of case 1's documents WHEN filtered by doc1 THEN
    both entries match; doc2 matches the grouped read and its own download, not doc1's single read."""
    w = reads
    doc1 = _rows(w.legal, record_kind="document", record_id=w.doc1.pk)
    assert [r.at_text[-8:] for r in doc1] == ["10:00:00", "09:00:00"]
    doc2 = _rows(w.legal, record_kind="document", record_id=w.doc2.pk)
    assert [r.at_text[-8:] for r in doc2] == ["11:00:00", "10:00:00"]
    assert len(_rows(w.legal, record_kind="case", record_id=w.case2.pk)) == 1


def test_bad_filters_name_their_field(world):
    """GIVEN bad filters WHEN parsed THEN each is a 422 naming its field."""
    cases = [
        ({"from": "2026-03-05", "to": "2026-03-01"}, "from"),
        ({"purpose": "stolen"}, "purpose"),
        ({"from": "yesterday"}, "from"),
        ({"record_kind": "document"}, "record_id"),
        ({"record_kind": "secret", "record_id": "3"}, "record_kind"),
        ({"person": "x"}, "person"),
        ({"agency": str(world.other_legal.agency_id)}, "agency"),
    ]
    for params, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            parse_filters(world.legal, params)
        assert caught.value.errors[0].field == field, params


def test_supervisor_sees_the_supervised_agency_another_agency_does_not(reads):
    """GIVEN reads in agency A WHEN the supervising bureau's supervisor, A's head, and another agency's
    legal unit read the log THEN the first two see them, the last sees nothing."""
    assert len(_rows(reads.supervisor)) == 4
    assert len(_rows(reads.supervisor, agency=reads.agency.pk)) == 4
    assert len(_rows(reads.head)) == 4
    assert _rows(reads.other_legal) == []
    assert _rows(reads.officer) == []


def test_every_read_purpose_has_its_chinese_label():
    """GIVEN the purposes a read entry may name WHEN the log shows them THEN each has a Chinese label
    (a new purpose cannot reach the page as its code)."""
    from liuhen.access.reads import READ_PURPOSES
    from liuhen.accesslog.selectors import PURPOSE_LABELS

    assert set(READ_PURPOSES) == set(PURPOSE_LABELS)
