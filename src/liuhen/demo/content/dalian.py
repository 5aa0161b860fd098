"""大连高新区城管局: 占道经营 (in investigation), 违法建设 with a hearing (decided), 乱倒垃圾 (summary, closed)."""

from __future__ import annotations

from liuhen.demo.content import decision as dec
from liuhen.demo.content import investigation as inv
from liuhen.demo.content import service as srv
from liuhen.demo.content.kit import (
    Matter,
    Office,
    Party,
    ago,
    cn_date,
    day,
    goto,
    iso,
    number,
    officer_names,
    officers,
    party_sign,
    person,
    put,
)
from liuhen.demo.script import CaseScript

OFFICE = Office(
    rights_extra=("review", "litigation"),
    name="大连高新技术产业园区城市管理行政执法局",
    legal_unit="法制科",
    review_body="大连市人民政府",
    payment="辽宁省政府非税收入收缴平台（凭《非税收入缴款通知书》所载缴款码缴纳）",
    inquiry_room="大连高新区城市管理行政执法局执法一中队询问室",
    phone="0411-8479****",
)
_CITY = "《城市市容和环境卫生管理条例》"
_PLANNING = "《中华人民共和国城乡规划法》"


def street_vending(s: CaseScript) -> None:
    party = Party(
        "natural_person", "王某某", "210211198805123415", "大连市甘井子区中华西路某号", "139****6052"
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="占道经营",
        title="王某某擅自占用人行道摆摊经营案",
        summary="当事人在黄浦路某号门前人行道上摆设摊点经营水果，占用人行道约6平方米。",
        source="日常巡查发现",
        place="大连高新区黄浦路某号门前人行道",
        facts=f"{cn_date(s.at)}8时40分许，当事人王某某未经批准，在大连高新区黄浦路某号门前人行道上"
        "摆设水果摊点经营，摊点长约3米、宽约2米，占用人行道约6平方米，影响行人通行。",
        evidence=(
            "现场检查笔录1份",
            "询问笔录1份",
            "现场照片6张",
            "执法记录仪音像资料1段",
            "当事人身份证复印件1份",
        ),
        violated=f"{_CITY}第十四条",
        basis=f"{_CITY}第三十六条第（二）项",
        discretion="当事人系初次违法，占道面积约6平方米，经责令后当场清理，违法情节较轻。",
        proposal="责令当事人停止占道经营行为，并处罚款人民币200元。",
        penalty_kinds=("correction", "fine"),
        fine="200.00",
    )
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="执法人员日常巡查时发现当事人在人行道摆摊经营，涉嫌违反市容环境卫生管理规定。",
    )
    goto(s, f"{day(s.at)} 13:40").move("investigation")
    inv.inspection(
        s,
        m,
        minutes=25,
        ended_ago=275,
        findings="现场位于黄浦路某号门前人行道。人行道上摆放水果货架两组、遮阳伞一把、电动三轮车一辆，"
        "货架上摆放苹果、葡萄、梨等水果，摊点长约3米、宽约2米，占用人行道约6平方米，行人需绕行。"
        "当事人王某某在场，称正在经营，未能出示任何批准文件。执法人员当场责令其停止占道经营、清理现场，当事人已清理完毕。",
        items=["水果货架2组", "遮阳伞1把", "电动三轮车1辆"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.name, "fingerprint")
    s.later(minutes=20).media(
        "黄浦路占道经营现场检查录音", "inspection", captured_hours_ago=5, link="inspection_record"
    )
    goto(s, day(ago(s, days=-1)) + " 10:40")
    inv.inquiry(
        s,
        m,
        minutes=45,
        ended_ago=25,
        qa="问：我们是大连高新区城市管理行政执法局的执法人员（出示执法证件），现依法向你调查了解情况，你应当如实回答。"
        "你有陈述、申辩和申请回避的权利，询问过程全程录音录像，你听清楚了吗？\n答：听清楚了，不申请回避。\n"
        f"问：{cn_date(ago(s, days=1))}上午，你是否在黄浦路某号门前人行道上摆摊卖水果？\n答：是的，我从九月初开始每天上午在那里摆摊。\n"
        "问：摆摊是否经过城市管理部门批准？\n答：没有批准。\n问：你的摊点占用了多大面积？\n答：两个货架加三轮车，大概六平方米。\n"
        "问：你还有什么要补充的吗？\n答：我知道错了，以后不在人行道上摆了。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", party.name, "handwritten_scan")


def illegal_building(s: CaseScript) -> None:
    party = Party(
        "legal_person",
        "大连某某餐饮有限公司",
        "91210231MA0Y8KQ31K",
        "大连高新区软件园路某号",
        "0411-8476****",
        legal_rep="刘某",
        rep_id_no="210203197906224518",
        rep_address="大连市沙河口区西安路某号",
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="未取得建设工程规划许可证擅自搭建彩钢房",
        title="大连某某餐饮有限公司未取得建设工程规划许可证擅自搭建彩钢房案",
        summary="群众实名举报：当事人在小区公共绿地上擅自搭建彩钢房约30平方米。",
        source="12345政务服务便民热线实名举报转办",
        place="大连高新区某某小区12号楼南侧公共绿地",
        facts="当事人未取得建设工程规划许可证，于2026年9月下旬在大连高新区某某小区12号楼南侧公共绿地上"
        "擅自搭建彩钢板房一处，长约6米、宽约5米，建筑面积约30平方米，用作后厨仓库。"
        "该建筑占用小区公共绿地，无法采取改正措施消除对规划实施的影响。",
        evidence=(
            "投诉举报登记表1份",
            "现场检查笔录1份及现场示意图1张",
            "询问笔录1份",
            "营业执照、法定代表人身份证明复印件各1份",
            "规划部门关于该建筑未办理规划许可的复函1份",
            "工程造价核定意见1份（造价36000元）",
            "现场照片12张、执法记录仪音像资料2段",
        ),
        violated=f"{_PLANNING}第四十条第一款",
        basis=f"{_PLANNING}第六十四条",
        discretion="违法建设占用小区公共绿地，无法采取改正措施消除影响，应当限期拆除；当事人积极配合调查，"
        "且系首次违法，依照本局行政处罚裁量基准，按建设工程造价百分之五处以罚款。",
        proposal="责令当事人自收到行政处罚决定书之日起十五日内自行拆除上述违法建设、恢复绿地原状，"
        "并处建设工程造价百分之五的罚款，计人民币1800元。",
        penalty_kinds=("correction", "fine"),
        fine="1800.00",
        hearing=True,
    )
    received = ago(s, hours=5, minutes=15)

    def registered(script: CaseScript) -> None:
        inv.complaint(
            script,
            received=received,
            channel="hotline",
            complainant="林某",
            contact="136****4173",
            complaint_content="某某小区12号楼南侧绿地上新搭了一间彩钢房，是底商饭店放东西用的，占了小区绿地，要求查处。",
            reported_party=party.name,
            incident_place=m.place,
            handling_note="转执法一中队现场核查并依法查处，按时向举报人反馈。",
        )

    inv.open_case(
        s,
        m,
        kind="complaint",
        start_reason="12345热线转办群众实名举报，经初步核实当事人涉嫌未取得建设工程规划许可证擅自搭建建筑物。",
        first=registered,
        is_real_name_complaint=True,
    )
    _building_investigation(s, m)
    _building_hearing(s, m)
    goto(s, "2026-10-29 10:00")
    dec.legal_review(
        s,
        m,
        submitted_days_ago=1,
        opinion="经审核，本案执法主体合法，当事人认定准确；违法事实清楚，证据确实充分；"
        f"适用{_PLANNING}第四十条第一款、第六十四条正确；已依法告知并举行听证，程序合法；"
        "拟作出的处理决定符合本局裁量基准，裁量适当。同意承办人意见。",
    )
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当。")
    goto(s, "2026-10-30 09:30").approve("head_approval", "head", "同意作出限期拆除并处罚款的行政处罚决定。")
    s.later(hours=2)
    dec.penalty_decision(
        s,
        m,
        statement_review="当事人在听证中提出彩钢房系临时仓储、愿意自行拆除并请求减轻罚款。经复核，"
        "该建筑已完工并投入使用，不属于临时建设，对减免罚款的请求不予采纳；当事人承诺自行拆除的情节已在裁量中考虑。",
        content="一、责令当事人自收到本决定书之日起十五日内自行拆除位于大连高新区某某小区12号楼南侧公共绿地上的"
        "彩钢板房（约30平方米），恢复绿地原状；\n二、处建设工程造价百分之五的罚款，计人民币1800元。",
    )


def _building_investigation(s: CaseScript, m: Matter) -> None:
    party = m.party
    goto(s, "2026-10-09 08:40").move("investigation")
    goto(s, "2026-10-09 10:30")
    inv.inspection(
        s,
        m,
        minutes=50,
        ended_ago=40,
        findings="现场位于某某小区12号楼南侧公共绿地。绿地上建有彩钢板房一处，钢架结构、彩钢板围护，长约6米、宽约5米、"
        "高约2.8米，建筑面积约30平方米，门口挂有“某某餐饮后厨仓库”字样，内存放桌椅、食材周转箱等物品。"
        "当事人法定代表人刘某在场，未能出示建设工程规划许可证。执法人员当场责令其停止使用。",
        items=["彩钢板房1处（约30平方米）", "仓储桌椅及食材周转箱若干"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.legal_rep)
    s.later(minutes=40).media(
        "某某小区违法建设现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-10-12 10:40")
    inv.inquiry(
        s,
        m,
        minutes=50,
        ended_ago=20,
        qa="问：我们是大连高新区城市管理行政执法局的执法人员（出示执法证件），现就你公司在某某小区搭建彩钢房一事"
        "依法进行调查。你有陈述、申辩和申请回避的权利，询问全程录音录像，你是否听清楚？\n答：听清楚了，不申请回避。\n"
        "问：你在本案中的身份？\n答：我是大连某某餐饮有限公司的法定代表人。\n"
        "问：12号楼南侧绿地上的彩钢房是谁搭建的？什么时间搭建？\n答：是我们公司找人搭的，九月二十号左右开始，一周左右完工。\n"
        "问：搭建前是否办理了建设工程规划许可证？\n答：没有办，以为是临时的仓库不用办。\n"
        "问：搭建花了多少钱？\n答：材料和人工一共三万六千元左右。\n问：你还有什么补充？\n答：我们愿意配合处理。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", party.legal_rep)
    goto(s, "2026-10-14 16:00")
    dec.final_report(
        s,
        m,
        process="2026年10月8日受理12345热线转办的实名举报后立案；10月9日进行现场检查并制作现场检查笔录；"
        "10月12日询问当事人法定代表人刘某；其间函询规划部门并委托核定工程造价。",
    )
    goto(s, "2026-10-15 09:30").approve(
        "review", "reviewer", "事实清楚，证据确实充分，同意承办人意见，拟限期拆除并处罚款。"
    )
    s.later(minutes=40).approve("approval", "approver", "同意承办人和审核人意见。")
    s.later(hours=1)
    dec.rights_notice(s, m)
    goto(s, "2026-10-15 14:30")
    srv.receipt(
        s,
        m,
        doc_key="rights_notice",
        at=ago(s, minutes=20),
        place="大连高新区软件园路某号当事人经营场所",
        way=srv.handed_over(m),
        key="service_rights",
    )


def _building_hearing(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-10-19 09:00").move("decision", reason="当事人申请听证")
    s.later(hours=1)
    hearing_at = "2026-10-27T09:30:00+08:00"
    put(
        s,
        "hearing_notice",
        {
            "doc_number": number(s, "听"),
            "party_name": m.party.name,
            "case_cause": m.title,
            "hearing_at": hearing_at,
            "hearing_place": "大连高新区城市管理行政执法局听证室",
            "public_hearing": True,
            "presiding_officer": person(s, "legal"),
            "clerk": person(s, "archivist"),
            "party_rights_duties": "当事人可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避；"
            "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。",
            "contact_person": person(s, "officer"),
            "contact_phone": OFFICE.phone,
            "issued_on": day(s.at),
        },
        key="hearing_notice",
    )
    s.later(hours=4)
    srv.receipt(
        s,
        m,
        doc_key="hearing_notice",
        at=ago(s, minutes=30),
        place="大连高新区软件园路某号当事人经营场所",
        way=srv.handed_over(m),
        key="service_hearing",
    )
    goto(s, "2026-10-27 11:30")
    _hearing_record(s, m)
    s.later(minutes=30).media(
        "听证会全过程录音", "hearing", seconds=3, captured_hours_ago=2, link="hearing_record"
    )


def _hearing_record(s: CaseScript, m: Matter) -> None:
    put(
        s,
        "hearing_record",
        {
            "hearing_started_at": iso(ago(s, hours=2)),
            "hearing_ended_at": iso(ago(s, minutes=25)),
            "place": "大连高新区城市管理行政执法局听证室",
            "case_cause": m.title,
            "public_hearing": True,
            "presiding_officer": person(s, "legal"),
            "clerk": person(s, "archivist"),
            "party_name": m.party.name,
            "party_attendees": ["刘某（法定代表人）", "韩某（委托代理人，律师）"],
            "investigators": officer_names(s),
            "recusal_applied": False,
            "investigator_statement": f"调查人员陈述：{m.facts}证据有现场检查笔录、询问笔录、规划部门复函、工程造价核定意见及现场照片等。"
            f"建议：{m.proposal}",
            "party_statement": "当事人委托代理人称：彩钢房系临时仓储用房，当事人已认识到错误，愿意自行拆除，请求免除或减轻罚款。",
            "debate": "调查人员：该建筑已完工并持续使用，不属于经批准的临时建设。\n代理人：对违法事实无异议，仅对罚款数额提出意见。",
            "final_statements": "当事人：愿意按要求自行拆除，请求从轻处理。",
            "participants_reviewed": True,
            "av_recorded": True,
            "party_confirmation": "以上笔录我已看过，与听证情况相符。",
            "page_count": 4,
        },
        key="hearing_record",
    )


def litter_summary(s: CaseScript) -> None:
    party = Party("natural_person", "赵某", "210211199203041118", "大连市甘井子区某某街某号", "186****7395")
    m = Matter(
        office=OFFICE,
        party=party,
        cause="随意倾倒垃圾",
        title="赵某随意倾倒生活垃圾案",
        summary="当事人在七贤岭路与汇贤路交叉口绿化带内随意倾倒生活垃圾。",
        source="日常巡查发现",
        place="大连高新区七贤岭路与汇贤路交叉口西北角绿化带",
        facts=f"{cn_date(s.at)}15时50分许，当事人赵某将两袋生活垃圾随意倾倒在七贤岭路与汇贤路交叉口西北角绿化带内，被巡查执法人员当场发现。",
        evidence=("执法记录仪音像资料1段", "现场照片3张"),
        violated=f"{_CITY}关于按规定的时间、地点、方式倾倒垃圾",
        basis=f"{_CITY}第三十四条第（四）项",
        discretion="当事人当场承认违法事实并清理了倾倒的垃圾。",
        proposal="罚款人民币50元。",
    )
    s.open(
        "officer",
        procedure="summary",
        initiation_kind="ex_officio",
        cause=m.cause,
        summary=m.summary,
        source=m.source,
        parties=[party.for_case()],
    )
    s.later(minutes=10).move("decision")
    s.later(minutes=15)
    _summary_decision(s, m)
    party_sign(s, "summary_decision", party.name, "handwritten_scan")
    s.later(minutes=20).media(
        "当场处罚全过程录音", "summary_procedure", captured_hours_ago=1, link="summary_decision"
    )
    s.later(minutes=10).move("service_enforcement")
    s.later(minutes=5)
    srv.receipt(
        s,
        m,
        doc_key="summary_decision",
        at=ago(s, minutes=30),
        place=m.place,
        way=srv.handed_over(m),
        key="service",
    )
    goto(s, f"{day(ago(s, days=-1))} 10:00")
    srv.closing_report(
        s,
        m,
        decision=f"简易程序当场处罚决定书（{number(s, '简')}）：罚款人民币50元。",
        performance="当事人已当场缴纳罚款50元，执法人员出具了省财政部门统一制发的罚款收据，罚款已于次日上缴。",
    )
    s.later(hours=1).move("closed")


def _summary_decision(s: CaseScript, m: Matter) -> None:
    put(
        s,
        "summary_decision",
        {
            "doc_number": number(s, "简"),
            **m.party.block(),
            "decided_at": iso(ago(s, minutes=5)),
            "place": m.place,
            "facts": m.facts,
            "legal_basis": m.legal_basis,
            "penalty": "fine",
            "fine_amount": "50.00",
            "applicability": "违法事实确凿并有法定依据，对公民处以二百元以下罚款，符合《中华人民共和国行政处罚法》第五十一条规定的当场处罚条件。",
            "procedure_steps": "执法人员出示执法证件表明身份；告知当事人违法事实、处罚理由和依据；告知其陈述、申辩权并听取意见；"
            "填写预定格式、编有号码的当场处罚决定书并当场交付当事人。",
            "party_statement": "当事人称附近垃圾桶已满，图方便倒在绿化带内，认识到错误，已将垃圾清理至垃圾收集点。",
            "statement_review": "当事人未提出新的事实和理由，其主动清理的情节已在处罚时考虑。",
            "filing_record": "依照《中华人民共和国行政处罚法》第五十二条第三款，本决定书副本当日报所属行政机关"
            "（大连高新区城市管理行政执法局执法一中队）备案。",
            "on_spot_collection": True,
            "collection_process": "当事人当场缴纳罚款50元，执法人员依照《中华人民共和国行政处罚法》第六十八条当场收缴并出具罚款收据。",
            "fine_receipt_no": "辽财罚字No.0031576",
            **officers(s),
            "remedy_notice": dec.remedy(m),
            "av_recorded": True,
            "issued_on": day(s.at),
        },
    )
