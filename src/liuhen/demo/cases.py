"""Example cases for each agency, at different stages, played through the services.

Each function receives a :class:`CaseScript` whose clock starts at the case's opening time.
"""

from __future__ import annotations

from collections.abc import Callable

from liuhen.demo.script import CaseScript

PERSON = "person"
ORG = "organisation"


def _open_general(s: CaseScript, cause: str, summary: str, party: dict, **kw) -> CaseScript:
    s.open(
        "officer",
        procedure="general",
        initiation_kind=kw.pop("kind", "ex_officio"),
        cause=cause,
        summary=summary,
        source=kw.pop("source", "日常巡查发现"),
        parties=[party],
        **kw,
    )
    s.later(minutes=20).doc("initiation_approval")
    s.later(hours=1).approve("handler_proposal", "officer", "建议立案调查。")
    s.later(hours=2).approve("head_approval", "head", "同意立案。")
    return s


def _investigate(s: CaseScript, party_name: str) -> CaseScript:
    s.later(hours=1).move("investigation")
    s.later(hours=18).doc("inspection_record").officers_sign("inspection_record").sign(
        "inspection_record", "party", party_name, "fingerprint"
    )
    s.later(hours=2).media("现场检查录音", "inspection", link="inspection_record")
    s.later(days=1).doc("inquiry_record").officers_sign("inquiry_record").sign(
        "inquiry_record", "party", party_name, "handwritten_scan"
    )
    s.later(hours=1).doc("rights_notice")
    return s


def _decide(s: CaseScript) -> CaseScript:
    s.later(days=3).doc("investigation_final_report")
    s.later(hours=2).approve("review", "reviewer", "事实清楚，证据确实充分，同意承办人意见。")
    s.later(hours=1).move("decision")
    s.later(days=1).doc("legal_review_opinion", by="officer")
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当。")
    s.later(days=1).approve("head_approval", "head", "同意作出行政处罚决定。")
    s.later(hours=2).doc("penalty_decision")
    return s


def dalian_street_vending(s: CaseScript) -> None:
    party = {
        "kind": PERSON,
        "name": "王某某",
        "id_type": "居民身份证",
        "id_number": "210211198805123415",
        "address": "大连市高新园区黄浦路某号",
    }
    _open_general(s, "占道经营", "当事人在黄浦路人行道上摆设摊点经营水果，占用人行道约6平方米。", party)
    _investigate(s, "王某某")


def dalian_illegal_building(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "大连某某餐饮有限公司",
        "id_type": "统一社会信用代码",
        "id_number": "91210231MA0XXXXX1K",
        "legal_representative": "刘某",
    }
    _open_general(
        s,
        "擅自搭建彩钢房",
        "群众实名举报：当事人在小区公共绿地上擅自搭建彩钢房约30平方米。",
        party,
        kind="complaint",
        source="12345热线实名举报",
        is_real_name_complaint=True,
    )
    _investigate(s, "刘某")
    _decide(s)


def dalian_litter_summary(s: CaseScript) -> None:
    s.open(
        "officer",
        procedure="summary",
        initiation_kind="ex_officio",
        cause="随意倾倒垃圾",
        summary="当事人在七贤岭路口随意倾倒生活垃圾。",
        source="巡查发现",
        parties=[
            {"kind": PERSON, "name": "赵某", "id_type": "居民身份证", "id_number": "210211199203041118"}
        ],
    )
    s.later(minutes=10).move("decision")
    s.later(minutes=15).doc("summary_decision").sign("summary_decision", "party", "赵某", "handwritten_scan")
    s.later(minutes=30).move("service_enforcement")
    s.later(minutes=5).doc("service_receipt")
    s.later(days=1).doc("case_closing_report")
    s.later(hours=1).move("closed")


def gaochang_emissions(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "吐鲁番某某建材有限公司",
        "id_type": "统一社会信用代码",
        "id_number": "91650402MA77XXXX3Q",
        "legal_representative": "马某",
    }
    _open_general(
        s,
        "超标排放大气污染物",
        "在线监测数据显示当事人窑炉废气颗粒物排放浓度超过排放标准。",
        party,
        source="在线监测数据",
    )
    _investigate(s, "马某")
    s.later(hours=3).doc("sampling_record").officers_sign("sampling_record")
    s.later(hours=1).media("抽样取证录音", "sampling", link="sampling_record")
    _decide(s)
    s.later(hours=2).move("service_enforcement")
    s.later(days=1).doc("service_receipt", key="service")


def gaochang_no_eia(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "高昌区某某砂石料场",
        "id_type": "统一社会信用代码",
        "id_number": "92650402MA78XXXX5T",
        "legal_representative": "吐某",
    }
    _open_general(
        s, "未依法报批环境影响评价文件擅自开工建设", "当事人砂石加工项目未报批环评即开工建设。", party
    )
    _investigate(s, "吐某")


def longjiang_demolition(s: CaseScript) -> None:
    party = {"kind": PERSON, "name": "孙某某", "id_type": "居民身份证", "id_number": "230221197706152219"}
    _open_general(s, "违法建设", "当事人未取得建设工程规划许可证，在龙江镇某街擅自建设二层砖混建筑。", party)
    _investigate(s, "孙某某")
    _decide(s)
    s.later(hours=2).move("service_enforcement")
    s.later(days=1).doc("service_receipt", key="service")
    s.later(days=16).doc("demand_notice")
    s.later(days=11).doc("enforcement_record")
    s.later(hours=1).media("强制拆除全过程录音", "forced_demolition", seconds=3, link="enforcement_record")


def longjiang_emergency_vending(s: CaseScript) -> None:
    s.open(
        "officer",
        procedure="general",
        initiation_kind="ex_officio",
        cause="占道经营（紧急启动）",
        summary="当事人在学校门口占道经营，存在交通安全隐患，情况紧急先行启动程序。",
        source="巡查发现",
        emergency_start=True,
        parties=[
            {"kind": PERSON, "name": "钱某", "id_type": "居民身份证", "id_number": "230221198811230018"}
        ],
    )


def xinglongtai_annual_check(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "兴隆台区某某养老服务中心",
        "id_type": "统一社会信用代码",
        "id_number": "52211103MJ0XXXXX7A",
        "legal_representative": "周某",
    }
    _open_general(
        s,
        "社会服务机构未按规定接受年度检查",
        "当事人连续两年未按规定参加年度检查。",
        party,
        source="年检工作中发现",
    )
    _investigate(s, "周某")
    _decide(s)


def xinglongtai_cemetery(s: CaseScript) -> None:
    party = {"kind": PERSON, "name": "吴某", "id_type": "居民身份证", "id_number": "211103196512120535"}
    _open_general(
        s,
        "擅自兴建殡葬设施",
        "当事人在农村耕地上擅自修建墓穴对外出售。",
        party,
        kind="complaint",
        source="群众投诉",
    )
    _investigate(s, "吴某")


def xinle_price_tags(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "新乐市某某超市",
        "id_type": "统一社会信用代码",
        "id_number": "92130184MA0XXXXX2C",
        "legal_representative": "郑某",
    }
    _open_general(s, "不按规定明码标价", "当事人销售的部分商品未按规定明码标价。", party, source="价格举报")
    s.later(hours=1).move("investigation")
    s.later(days=1).doc("inquiry_record").officers_sign("inquiry_record")
    s.refuse("inquiry_record", "party", "郑某", "当事人对询问笔录内容有异议，拒绝签字。")
    s.later(hours=1).media("询问过程录音", "inquiry", link="inquiry_record")


def xinle_energy_review(s: CaseScript) -> None:
    party = {
        "kind": ORG,
        "name": "新乐市某某纸业有限公司",
        "id_type": "统一社会信用代码",
        "id_number": "91130184MA0XXXXX9D",
        "legal_representative": "冯某",
    }
    _open_general(s, "未按规定进行节能审查擅自开工建设", "当事人技改项目未经节能审查即开工建设。", party)
    _investigate(s, "冯某")
    _decide(s)
    s.later(hours=2).move("service_enforcement")
    s.later(days=1).doc("service_receipt", key="service")
    s.later(days=20).doc("performance_record")
    s.later(days=1).doc("case_closing_report")
    s.later(hours=1).move("closed")
    s.later(days=10).move("archived", by="archivist")


CASES: dict[str, tuple[tuple[str, Callable[[CaseScript], None]], ...]] = {
    "dalian-cg": (
        ("2026-09-14T09:10", dalian_street_vending),
        ("2026-10-08T14:30", dalian_illegal_building),
        ("2026-11-03T16:05", dalian_litter_summary),
    ),
    "gaochang-sthj": (("2026-09-02T10:00", gaochang_emissions), ("2026-11-10T11:20", gaochang_no_eia)),
    "longjiang-cg": (
        ("2026-08-18T08:40", longjiang_demolition),
        ("2026-11-21T07:50", longjiang_emergency_vending),
    ),
    "xinglongtai-mz": (
        ("2026-09-22T09:30", xinglongtai_annual_check),
        ("2026-11-05T15:00", xinglongtai_cemetery),
    ),
    "xinle-fg": (("2026-10-12T10:15", xinle_price_tags), ("2026-07-06T09:00", xinle_energy_review)),
}
