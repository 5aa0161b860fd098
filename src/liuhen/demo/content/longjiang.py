"""龙江县城管执法大队: 违法建设 through 强制拆除 (service/enforcement), 紧急启动的占道经营 (late approval missing)."""

from __future__ import annotations

from liuhen.demo.content import decision as dec
from liuhen.demo.content import investigation as inv
from liuhen.demo.content import service as srv
from liuhen.demo.content.kit import (
    Matter,
    Office,
    Party,
    ago,
    day,
    goto,
    iso,
    later_day,
    number,
    officers,
    party_sign,
    put,
)
from liuhen.demo.script import CaseScript

OFFICE = Office(
    name="龙江县城市管理综合执法大队",
    legal_unit="法制股",
    review_body="龙江县人民政府",
    payment="黑龙江省非税收入收缴系统（凭缴款码缴纳）",
    inquiry_room="龙江县城市管理综合执法大队一中队询问室",
    phone="0452-532****",
)
_PLANNING = "《中华人民共和国城乡规划法》"


def _building_matter() -> Matter:
    party = Party("natural_person", "孙某某", "230221197706152219", "龙江县龙江镇某某街某号", "135****2207")
    return Matter(
        office=OFFICE,
        party=party,
        cause="违法建设",
        title="孙某某未取得建设工程规划许可证擅自建设案",
        summary="当事人未取得建设工程规划许可证，在龙江镇某某街某号院内擅自建设二层砖混建筑。",
        source="日常巡查发现",
        place="龙江县龙江镇某某街某号院内",
        facts="当事人未取得建设工程规划许可证，于2025年9月至10月间在龙江县龙江镇某某街某号院内擅自建设二层砖混结构建筑一栋，"
        "占地面积约96平方米，建筑面积约192平方米。该建筑位于规划道路红线内，无法采取改正措施消除对规划实施的影响。",
        evidence=(
            "现场检查笔录1份及现场示意图1张",
            "询问笔录1份",
            "龙江县自然资源局关于该建筑未办理规划许可及位于规划道路红线内的复函1份",
            "当事人身份证复印件1份",
            "现场照片10张、执法记录仪音像资料1段",
        ),
        violated=f"{_PLANNING}第四十条第一款",
        basis=f"{_PLANNING}第六十四条",
        discretion="违法建筑位于规划道路红线内，无法采取改正措施消除影响，依法应当限期拆除；当事人系自建附属用房，"
        "经济困难，依照裁量基准不并处罚款。",
        proposal="责令当事人自收到行政处罚决定书之日起三十日内自行拆除上述违法建筑。",
        hearing=True,
    )


def demolition(s: CaseScript) -> None:
    m = _building_matter()
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="中队巡查发现当事人院内新建二层建筑，经核查未办理规划许可，需立案调查。",
    )
    _investigation(s, m)
    goto(s, "2026-04-28 09:00").move("decision", reason="陈述申辩及申请听证期限届满，当事人未申请听证")
    goto(s, "2026-04-29 10:00")
    dec.legal_review(
        s,
        m,
        submitted_days_ago=1,
        opinion=f"经审核，本案执法主体合法；违法事实清楚，证据确实充分；适用{_PLANNING}第四十条第一款、第六十四条正确；"
        "已依法告知陈述、申辩和听证权利，程序合法；拟作出的限期拆除决定适当。同意承办人意见。",
    )
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当。")
    goto(s, "2026-04-30 09:00").approve("head_approval", "head", "同意作出限期拆除的行政处罚决定。")
    goto(s, "2026-04-30 14:00")
    dec.penalty_decision(
        s,
        m,
        statement_review="当事人在陈述申辩期限内口头提出该建筑系自住用房、请求保留。经复核，该建筑位于规划道路红线内，"
        "无法采取改正措施消除对规划实施的影响，不予采纳。",
        content="责令当事人自收到本决定书之日起三十日内自行拆除位于龙江县龙江镇某某街某号院内的二层砖混结构违法建筑"
        "（建筑面积约192平方米）。",
    )
    goto(s, "2026-05-06 09:00").move("service_enforcement")
    goto(s, "2026-05-06 14:00")
    left = {
        "method": "left_at_residence",
        "refusal_reason": "当事人对处罚决定有抵触情绪，拒绝签收。",
        "refused_on": day(s.at),
        "witness_names": ["李某某"],
        "witness_identity": "龙江镇某某社区居民委员会工作人员",
        "av_recorded": True,
    }
    srv.receipt(
        s, m, doc_key="penalty_decision", at=ago(s, hours=4), place=m.party.address, way=left, key="service"
    )
    s.later(minutes=20).media("留置送达过程录音", "service_left", captured_hours_ago=4, link="service")
    _demand_and_demolition(s, m)


def _investigation(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-04-14 08:30").move("investigation")
    goto(s, "2026-04-14 10:30")
    inv.inspection(
        s,
        m,
        minutes=60,
        ended_ago=30,
        findings="当事人院内建有二层砖混结构建筑一栋，长约12米、宽约8米，占地约96平方米，建筑面积约192平方米，"
        "已封顶并安装门窗，尚未入住。当事人孙某某在场，未能出示建设工程规划许可证。",
        items=["二层砖混结构建筑1栋（约192平方米）"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", m.party.name, "fingerprint")
    s.later(minutes=30).media(
        "违法建设现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-04-16 10:40")
    inv.inquiry(
        s,
        m,
        minutes=50,
        ended_ago=20,
        qa="问：我们是龙江县城市管理综合执法大队的执法人员（出示执法证件），现就你院内建房一事依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：院内的二层楼是谁建的？什么时间建的？\n答：是我自己出钱建的，去年九月开工，十月底封顶。\n"
        "问：是否办理了建设工程规划许可证？\n答：没有办。\n问：你是否知道该位置在规划道路红线内？\n答：不知道。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", m.party.name, "handwritten_scan")
    s.later(minutes=10).media("询问过程录音", "inquiry", captured_hours_ago=1, link="inquiry_record")
    goto(s, "2026-04-21 15:00")
    dec.final_report(
        s,
        m,
        process="4月13日巡查发现并立案；4月14日现场检查；4月16日询问当事人；4月20日取得县自然资源局复函。",
    )
    goto(s, "2026-04-22 09:00").approve(
        "review", "reviewer", "事实清楚，证据确实充分，同意限期拆除的处理建议。"
    )
    s.later(minutes=40).approve("approval", "approver", "同意承办人和审核人意见。")
    s.later(hours=1)
    dec.rights_notice(s, m)
    goto(s, "2026-04-22 15:00")
    srv.receipt(
        s,
        m,
        doc_key="rights_notice",
        at=ago(s, hours=1),
        place=m.party.address,
        way=srv.handed_over(m),
        key="service_rights",
    )


def _demand_and_demolition(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-11-09 10:00")
    put(
        s,
        "demand_notice",
        {
            "doc_number": number(s, "催", penalty=False),
            **m.party.block(full=False),
            "decision_doc_number": s.docs["penalty_decision"].fields["doc_number"],
            "decision_served_on": "2026-05-06",
            "obligations": "自行拆除位于龙江县龙江镇某某街某号院内的二层砖混结构违法建筑。当事人在法定期限内未申请行政复议、"
            "未提起行政诉讼，亦未自行拆除。",
            "performance_deadline": later_day(s.at, 10),
            "performance_method": "当事人自行拆除并清运建筑垃圾，拆除完毕后报告本大队查验。",
            "statement_rights": "当事人收到本催告书后有权进行陈述和申辩，可于三日内向本大队提出。",
            "consequences": "逾期仍不履行的，本大队将依照《中华人民共和国行政强制法》第四十四条的规定依法强制拆除。",
            "issued_on": day(s.at),
        },
        key="demand_notice",
    )
    s.later(hours=4)
    srv.receipt(
        s,
        m,
        doc_key="demand_notice",
        at=ago(s, hours=2),
        place=m.party.address,
        way=srv.handed_over(m),
        key="service_demand",
    )
    goto(s, "2026-11-20 16:00")
    _demolition_record(s, m)
    s.officers_sign("enforcement_record")
    s.refuse("enforcement_record", "party", m.party.name, "当事人到场但拒绝在强制执行记录上签字。")
    s.sign("enforcement_record", "witness", "李某某", "handwritten_scan")
    s.later(hours=1).media(
        "强制拆除全过程录音", "forced_demolition", seconds=3, captured_hours_ago=8, link="enforcement_record"
    )


def _demolition_record(s: CaseScript, m: Matter) -> None:
    put(
        s,
        "enforcement_record",
        {
            "enforcement_decision_no": number(s, "强拆决", penalty=False),
            "party_name": m.party.name,
            "demand_served_on": "2026-11-09",
            "statement_review": "当事人在催告期限内未提出陈述、申辩。",
            "method": "removal_restoration",
            "executed_at": iso(ago(s, hours=7, minutes=30)),
            "finished_at": iso(ago(s, hours=1)),
            "place": m.place,
            **officers(s),
            "process": "本大队于2026年11月9日在违法建筑所在地张贴强制拆除公告，催告期满当事人仍未自行拆除。"
            "经龙江县人民政府责成，依照《中华人民共和国行政强制法》第四十四条，于当日8时30分组织实施强制拆除："
            "清点并登记室内物品交当事人亲属接收，切断水电，由机械拆除建筑主体并清运建筑垃圾。全程由执法记录仪和专人摄像记录。",
            "result": "违法建筑已全部拆除，建筑垃圾已清运，现场恢复为院落平地。",
            "removal_target": "龙江县龙江镇某某街某号院内二层砖混结构违法建筑（建筑面积约192平方米）",
            "before_state": "建筑已封顶并安装门窗，室内存放少量家具杂物。",
            "after_state": "建筑主体已拆除，建筑垃圾已清运完毕，地面平整。",
            "av_recorded": True,
            "refusal_note": "当事人到场但拒绝在记录上签字，由见证人李某某（社区工作人员）签字见证，执法人员注明情况。",
        },
        key="enforcement_record",
    )


def emergency_vending(s: CaseScript) -> None:
    """An emergency start whose 24-hour late approval (补报) is deliberately still missing."""
    party = Party("natural_person", "钱某", "230221198811230018", "龙江县龙江镇某某路某号", "155****0931")
    m = Matter(
        office=OFFICE,
        party=party,
        cause="占道经营（紧急启动）",
        title="钱某在学校门口占道经营案",
        summary="当事人在龙江县第一中学校门口占道经营，存在交通安全隐患，情况紧急先行启动程序。",
        source="日常巡查发现",
        place="龙江县第一中学校门口人行道",
        facts="当事人在上学高峰时段于龙江县第一中学校门口人行道摆设早餐摊点，占用人行道并延伸至机动车道，存在交通安全隐患。",
        evidence=("执法记录仪音像资料",),
        violated="《城市市容和环境卫生管理条例》第十四条",
        basis="《城市市容和环境卫生管理条例》第三十六条第（二）项",
        discretion="",
        proposal="",
    )
    s.open(
        "officer",
        procedure="general",
        initiation_kind="ex_officio",
        cause=m.cause,
        summary=m.summary,
        source=m.source,
        emergency_start=True,
        parties=[party.for_case()],
    )
    opened = s.at
    s.later(minutes=40)
    inv.initiation_approval(
        s,
        m,
        kind="ex_officio",
        start_reason="上学高峰时段学生和车辆集中，摊点占用机动车道，存在交通安全隐患，情况紧急，先行启动程序并当场责令其撤离。",
        emergency_at=opened,
    )
