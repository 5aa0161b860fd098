"""兴隆台区民政局: 社会服务机构未接受年检 (decided), 擅自兴建殡葬设施 (complaint, in investigation)."""

from __future__ import annotations

from liuhen.demo.content import decision as dec
from liuhen.demo.content import investigation as inv
from liuhen.demo.content import service as srv
from liuhen.demo.content.kit import Matter, Office, Party, ago, goto, party_sign
from liuhen.demo.script import CaseScript

OFFICE = Office(
    name="兴隆台区民政局",
    legal_unit="法制股",
    review_body="盘锦市兴隆台区人民政府",
    payment="辽宁省政府非税收入收缴平台（凭缴款码缴纳）",
    inquiry_room="兴隆台区民政局社会组织管理科询问室",
    phone="0427-282****",
)
_MINFEI = "《民办非企业单位登记管理暂行条例》"
_FUNERAL = "《殡葬管理条例》"


def annual_check(s: CaseScript) -> None:
    party = Party(
        "legal_person",
        "兴隆台区某某养老服务中心",
        "52211103MJ0Y3D6L7A",
        "盘锦市兴隆台区某某街道某某小区某号",
        "0427-266****",
        legal_rep="周某",
        rep_id_no="211103196807150526",
        rep_gender="female",
        rep_address="盘锦市兴隆台区某某街道某某小区某号",
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="民办非企业单位不按照规定接受年度检查",
        title="兴隆台区某某养老服务中心不按照规定接受年度检查案",
        summary="当事人连续两年未按规定报送年度工作报告、接受年度检查。",
        source="年度检查工作中发现",
        place="盘锦市兴隆台区某某街道某某小区某号兴隆台区某某养老服务中心",
        facts="当事人系在本局登记的民办非企业单位（社会服务机构）。本局于2025年、2026年依法发布年度检查公告，"
        "并于2026年6月书面催告当事人参加年度检查，当事人未按规定报送2024年度、2025年度工作报告，连续两年未接受年度检查。",
        evidence=(
            "民办非企业单位登记证书副本复印件1份",
            "2025年度、2026年度年度检查公告及书面催告通知各1份",
            "年度检查工作台账1份",
            "现场检查笔录1份",
            "询问笔录1份",
        ),
        violated=f"{_MINFEI}第二十三条第一款",
        basis=f"{_MINFEI}第二十五条第一款第（三）项",
        discretion="当事人连续两年未接受年度检查，经书面催告仍未改正，但未发现其他违法行为，"
        "尚不属于应予撤销登记的情节严重情形。",
        proposal="给予当事人警告，并责令其自收到行政处罚决定书之日起三十日内报送2024年度、2025年度工作报告，接受年度检查。",
        penalty_kinds=("warning", "correction"),
    )
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="年度检查工作中发现当事人连续两年未参加年度检查，经书面催告仍未改正。",
    )
    goto(s, "2026-09-23 09:00").move("investigation")
    goto(s, "2026-09-23 10:50")
    inv.inspection(
        s,
        m,
        minutes=50,
        ended_ago=30,
        findings="当事人在登记住所正常开展养老服务，现有入住老人32名、工作人员9名。当事人悬挂民办非企业单位登记证书，"
        "未能提供2024年度、2025年度工作报告及财务审计报告。",
        items=["民办非企业单位登记证书（正本）"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.legal_rep)
    s.later(minutes=30).media(
        "养老服务中心现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-09-25 10:30")
    inv.inquiry(
        s,
        m,
        minutes=45,
        ended_ago=15,
        qa="问：我们是兴隆台区民政局的执法人员（出示执法证件），现就你中心未参加年度检查一事依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：你中心是否参加了2024年度、2025年度的年度检查？\n答：没有参加。\n问：是否收到本局的年检公告和书面催告？\n"
        "答：收到了催告通知，因为财务人员离职，审计报告一直没做出来。\n问：你还有什么补充？\n答：我们会尽快补报。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", party.legal_rep)
    goto(s, "2026-09-29 15:00")
    dec.final_report(
        s,
        m,
        process="9月22日立案；9月23日现场检查；9月25日询问当事人法定代表人周某；调取年度检查工作台账及催告材料。",
    )
    goto(s, "2026-09-30 09:30").approve(
        "review", "reviewer", "事实清楚，证据确实充分，同意给予警告并责令改正。"
    )
    s.later(minutes=40).approve("approval", "approver", "同意承办人和审核人意见。")
    s.later(hours=1)
    dec.rights_notice(s, m)
    s.later(hours=4)
    srv.receipt(
        s,
        m,
        doc_key="rights_notice",
        at=ago(s, hours=1),
        place=party.address,
        way=srv.handed_over(m),
        key="service_rights",
    )
    goto(s, "2026-10-09 09:00").move("decision", reason="陈述申辩期限届满，当事人未提出陈述申辩")
    goto(s, "2026-10-12 10:00")
    dec.legal_review(
        s,
        m,
        submitted_days_ago=3,
        opinion=f"经审核，本案执法主体合法；违法事实清楚，证据确实充分；适用{_MINFEI}第二十三条第一款、第二十五条第一款第（三）项正确；"
        "程序合法；拟给予警告并责令改正，裁量适当。同意承办人意见。",
    )
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当。")
    goto(s, "2026-10-13 09:30").approve("head_approval", "head", "同意。")
    goto(s, "2026-10-13 15:00")
    dec.penalty_decision(
        s,
        m,
        statement_review="当事人在规定期限内未提出陈述、申辩。",
        content="一、给予警告；\n二、责令当事人自收到本决定书之日起三十日内向本局报送2024年度、2025年度工作报告，接受年度检查。",
    )


def cemetery(s: CaseScript) -> None:
    party = Party(
        "natural_person", "吴某", "211103196512120535", "盘锦市兴隆台区某某街道某某村", "138****5610"
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="擅自兴建殡葬设施",
        title="吴某未经批准擅自兴建殡葬设施案",
        summary="群众投诉：当事人在某某村西侧耕地上擅自修建墓穴对外出售。",
        source="群众电话投诉",
        place="兴隆台区某某街道某某村西侧耕地",
        facts="当事人未经民政部门批准，自2026年10月起在兴隆台区某某街道某某村西侧耕地上擅自修建水泥墓穴约40个，并对外出售。",
        evidence=("投诉举报登记表1份", "现场检查笔录1份", "询问笔录1份", "现场照片及执法记录仪音像资料"),
        violated=f"{_FUNERAL}第八条、第十条",
        basis=f"{_FUNERAL}第十八条",
        discretion="待查明违法所得后确定。",
        proposal="会同有关部门予以取缔，责令恢复原状，没收违法所得，并可处违法所得1倍以上3倍以下的罚款。",
    )
    received = ago(s, hours=5, minutes=20)

    def registered(script: CaseScript) -> None:
        inv.complaint(
            script,
            received=received,
            channel="phone",
            complainant="石某",
            contact="130****2845",
            complaint_content="某某村西边耕地上有人修了几十个水泥墓穴，对外卖八千元一个，要求查处。",
            reported_party=party.name,
            incident_place=m.place,
            handling_note="转社会事务科会同街道核查。",
        )

    inv.open_case(
        s,
        m,
        kind="complaint",
        start_reason="群众投诉反映当事人在耕地上擅自修建墓穴出售，涉嫌擅自兴建殡葬设施。",
        first=registered,
    )
    goto(s, "2026-11-06 08:30").move("investigation")
    goto(s, "2026-11-06 10:40")
    inv.inspection(
        s,
        m,
        minutes=70,
        ended_ago=30,
        findings="某某村西侧耕地上建有水泥墓穴4排共41个，每个长约1.2米、宽约1米，部分已安放石质墓碑底座；现场立有"
        "“墓穴出售 联系电话”字样广告牌一块。当事人吴某在场，未能出示任何殡葬设施建设批准文件。",
        items=["水泥墓穴41个", "墓碑底座6个", "广告牌1块"],
        witness_name="某某村村民委员会主任",
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.name, "fingerprint")
    s.later(minutes=30).media(
        "擅建墓穴现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-11-09 11:10")
    inv.inquiry(
        s,
        m,
        minutes=50,
        ended_ago=20,
        qa="问：我们是兴隆台区民政局的执法人员（出示执法证件），现就你在村西耕地修建墓穴一事依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：村西耕地上的墓穴是谁修的？\n答：是我雇人修的，十月开始修的。\n问：是否经过民政部门批准？\n答：没有。\n"
        "问：卖出了多少个？收了多少钱？\n答：卖了5个，每个八千元，一共收了四万元。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", party.name, "handwritten_scan")
