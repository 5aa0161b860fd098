"""Anomaly flags (R7.3): a day far above a person's usual level, reads outside working hours or on a
day off, reads of another unit's case without a grant — each with its threshold, none below it."""

from __future__ import annotations

import pytest

from liuhen.access.reads import Read
from liuhen.accesslog.anomaly import access_anomalies
from liuhen.accesslog.selectors import parse_filters
from tests.accesslog.conftest import bj, doc_read, read_at

pytestmark = pytest.mark.django_db


def _flags(user, **params):
    return access_anomalies(user=user, filters=parse_filters(user, params))


def _usual_fortnight(w):
    """张伟 reads doc1 twice on each working day of 2026-03-02 … 03-13 (working hours, own unit)."""
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13):
        for hour in (9, 14):
            read_at(bj(2026, 3, day, hour), user=w.officer, reads=[doc_read(w.doc1)])


def test_a_day_far_above_the_usual_level_is_flagged_not_one_below(world):
    """GIVEN a usual level of 2 reads a day WHEN 张伟 reads 25 times on 03-16 and 7 on 03-17 THEN 03-16
    is flagged (above 3 × 2 and ≥ 20) with the threshold named; 03-17 (7 < 20) is not."""
    w = world
    _usual_fortnight(w)
    for minute in range(25):
        read_at(bj(2026, 3, 16, 10, minute), user=w.officer, reads=[doc_read(w.doc1)])
    for minute in range(7):
        read_at(bj(2026, 3, 17, 10, minute), user=w.officer, reads=[doc_read(w.doc1)])
    flags = [f for f in _flags(w.legal, **{"from": "2026-03-16", "to": "2026-03-17"}) if f.rule == "volume"]
    assert [(f.day.isoformat(), f.count, f.person) for f in flags] == [("2026-03-16", 25, "张伟")]
    assert (
        "3 倍" in flags[0].message
        and "不少于 20 次" in flags[0].message
        and "中位数 2 次" in flags[0].message
    )


def test_reads_outside_hours_and_on_a_day_off_are_flagged(world):
    """GIVEN reads at 10:00 and 22:15 on a working day and at 10:00 on a Saturday WHEN the flags are read
    THEN the late one and the Saturday one are flagged, the 10:00 one is not."""
    w = world
    read_at(bj(2026, 3, 10, 10), user=w.officer, reads=[doc_read(w.doc1)])
    read_at(bj(2026, 3, 10, 22, 15), user=w.officer, reads=[doc_read(w.doc1)])
    read_at(bj(2026, 3, 14, 10), user=w.officer, reads=[doc_read(w.doc1)])
    flags = [
        f for f in _flags(w.legal, **{"from": "2026-03-09", "to": "2026-03-15"}) if f.rule == "off_hours"
    ]
    assert [(f.day.isoformat(), f.count) for f in flags] == [("2026-03-14", 1), ("2026-03-10", 1)]
    assert "非工作日" in flags[0].message
    assert "工作时间（08:00–18:00）以外" in flags[1].message and "22:15" in flags[1].message


def test_another_units_case_without_a_grant_is_flagged(world):
    """GIVEN 张伟 (squad 1) reads squad 2's case once without and once with a grant, and his own case
    WHEN the flags are read THEN only the read without a grant is flagged, naming the case."""
    w = world
    read_at(bj(2026, 3, 10, 10), user=w.officer, reads=[Read(w.case2, ("personal",))])
    read_at(
        bj(2026, 3, 10, 11), user=w.officer, reads=[Read(w.case2, ("personal",))], grant="调阅〔2026〕7号"
    )
    read_at(bj(2026, 3, 10, 12), user=w.officer, reads=[Read(w.case1, ("personal",))])
    flags = [
        f for f in _flags(w.legal, **{"from": "2026-03-10", "to": "2026-03-10"}) if f.rule == "other_unit"
    ]
    assert [(f.case_no, f.count) for f in flags] == [(w.case2.case_no, 1)]
    assert "执法二中队" in flags[0].message and "无调阅批准" in flags[0].message


def test_flags_follow_the_scope(world):
    """GIVEN a late read in agency A WHEN the supervisor and another agency's legal unit read the flags
    THEN the supervisor sees it, the other agency's legal unit does not."""
    read_at(bj(2026, 3, 10, 23), user=world.officer, reads=[doc_read(world.doc1)])
    period = {"from": "2026-03-10", "to": "2026-03-10"}
    assert [f.rule for f in _flags(world.supervisor, **period)] == ["off_hours"]
    assert _flags(world.other_legal, **period) == []
