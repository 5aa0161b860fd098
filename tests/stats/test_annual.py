"""The 统计年报's counting rules on hand-made cases."""

from __future__ import annotations

import pytest

from liuhen.stats import figures
from tests.stats.world import make_world, realistic_sequence


def test_a_combined_penalty_counts_once_under_its_heaviest_kind():
    """GIVEN decisions combining kinds WHEN the heaviest is chosen THEN the order of 行政处罚法 第九条
    decides (责令改正 and 其他 are no penalties)."""
    assert figures.most_severe(["correction", "fine", "license"]) == "license"
    assert figures.most_severe(["confiscation", "fine"]) == "confiscation"
    assert figures.most_severe(["warning", "restriction"]) == "restriction"
    assert figures.most_severe(["correction", "other"]) is None
    assert len(figures.PENALTY_CATEGORIES) == 12
    assert figures.yuan_to_fen("200.50") == 20050 and figures.yuan_to_fen("") == 0


@pytest.mark.django_db
def test_the_annual_report_counts_each_decision_once_and_sums_fines_and_confiscations(api_as):
    """GIVEN in one agency: 罚款+暂扣许可证件+责令改正 (5000 元), 罚款+没收 (200.50 + 1000 元), 警告 alone,
    责令改正 alone, and a 现场检查 (in another supervised agency: an on-the-spot fine of 100 元)
    WHEN the agency's legal unit reads its 2026 年报
    THEN three penalties are counted, each once, under 暂扣/降级/吊销, 没收 and 警告; 罚没金额 is 6200.50 元;
    the correction alone is no penalty; 检查 counts 1; 许可 and 行政拘留 say 本系统未记录, not 0; every
    officer holds a certificate; and each number drills down to that many cases."""
    w = make_world()
    realistic_sequence(w)
    call = api_as(w.a.legal)
    data = call("get", "/statistics/annual-report?year=2026").json()
    counts = {p["group"]: p["count"] for p in data["penalties"]}
    assert counts == {"warning": 1, "fine": 0, "confiscation": 1, "license": 1, "restriction": 0}
    amounts = {p["group"]: p["amount_yuan"] for p in data["penalties"]}
    assert amounts["license"] == "5000.00" and amounts["confiscation"] == "1200.50"
    assert data["penalty_total"] == 3 and data["non_penalty"] == 1
    assert data["fines_confiscations_yuan"] == "6200.50"
    acts = {a["act"]: (a["count"], a["note"]) for a in data["acts"]}
    assert acts["inspection"] == (1, "") and acts["licence"] == (None, "本系统未记录")
    detention = next(c for c in data["categories"] if c["category"] == "detention")
    assert detention["note"] == "本系统未记录"
    (agency,) = data["by_agency"]
    assert (agency["officers"], agency["certified"], agency["certified_rate"]) == (2, 2, 1.0)
    for group, n in counts.items():
        drill = call(
            "get", f"/statistics/cases?figure=penalty&value={group}&from=2026-01-01&to=2026-12-31"
        ).json()
        assert drill["count"] == drill["listed"] == n
    supervisor = api_as(w.supervisor)("get", "/statistics/annual-report?year=2026").json()
    assert {p["group"]: p["count"] for p in supervisor["penalties"]}["fine"] == 1  # B's on-the-spot fine
    assert supervisor["fines_confiscations_yuan"] == "6300.50"


def test_the_exported_penalty_table_counts_a_group_once():
    """GIVEN a 年报 with one 警告/通报批评 decision WHEN its penalty table is made for export and print
    THEN the count stands on 警告's row only (通报批评 says it is counted there), and 行政拘留 says
    本系统未记录."""
    from liuhen.stats.tables import annual_tables

    data = {
        "categories": [
            {
                "category": c.code,
                "label": c.label,
                "group": c.group,
                "note": "" if c.group else "本系统未记录",
            }
            for c in figures.PENALTY_CATEGORIES
        ],
        "penalties": [
            {
                "group": g,
                "label": figures.GROUP_LABELS[g],
                "count": int(g == "warning"),
                "amount_yuan": "0.00",
            }
            for g in figures.PENALTY_GROUPS
        ],
        "penalty_total": 1,
        "fines_confiscations_yuan": "0.00",
        "non_penalty": 0,
        "acts": [],
        "by_agency": [],
    }
    rows = {r[0]: r for r in annual_tables(data)[0].rows}
    assert rows["警告"][1] == 1 and rows["通报批评"][1] == "并入“警告”"
    assert rows["行政拘留"][1] == "本系统未记录"
    assert sum(r[1] for r in annual_tables(data)[0].rows[:12] if isinstance(r[1], int)) == 1
