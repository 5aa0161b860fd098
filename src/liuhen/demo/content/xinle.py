"""新乐市发改局: 不按规定明码标价 (refusal to sign, in investigation), 未经节能审查擅自开工 (archived)."""

from __future__ import annotations

from liuhen.demo.content import decision as dec
from liuhen.demo.content import investigation as inv
from liuhen.demo.content import service as srv
from liuhen.demo.content.kit import Matter, Office, Party, ago, goto, party_sign
from liuhen.demo.script import CaseScript

OFFICE = Office(
    name="新乐市发展和改革局",
    legal_unit="法规科",
    review_body="新乐市人民政府",
    payment="河北省非税收入收缴系统（凭缴款码缴纳）",
    inquiry_room="新乐市发展和改革局价格监督检查科询问室",
    phone="0311-8851****",
)
_PRICE = "《中华人民共和国价格法》"
_ENERGY_RULES = "《固定资产投资项目节能审查办法》（国家发展和改革委员会令2023年第2号）"


def price_tags(s: CaseScript) -> None:
    party = Party(
        "individual_business",
        "新乐市某某超市",
        "92130184MA0Y5N8E2C",
        "新乐市长寿街道某某路某号",
        "133****7026",
        legal_rep="郑某",
        rep_id_no="130184197912030036",
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="不按规定明码标价",
        title="新乐市某某超市不按规定明码标价案",
        summary="群众举报：当事人销售的部分商品未按规定明码标价。",
        source="12345热线价格举报",
        place="新乐市长寿街道某某路某号新乐市某某超市经营场所",
        facts="当事人在经营场所销售的散装食品、蔬菜等共37种商品未标示价格，另有12种商品的价签未标示计价单位。",
        evidence=("投诉举报登记表1份", "现场检查笔录1份", "询问笔录1份", "现场照片20张及执法记录仪音像资料"),
        violated=f"{_PRICE}第十三条第一款及《明码标价和禁止价格欺诈规定》",
        basis=f"{_PRICE}第四十二条",
        discretion="待调查终结后确定。",
        proposal="责令改正，没收违法所得，并可处五千元以下的罚款。",
    )
    received = ago(s, days=3, hours=1)

    def registered(script: CaseScript) -> None:
        inv.complaint(
            script,
            received=received,
            channel="hotline",
            complainant="孟某",
            contact="150****3318",
            complaint_content="某某路上的某某超市散装商品和蔬菜大多没有价签，结账时才知道价格。",
            reported_party=party.name,
            incident_place=m.place,
            handling_note="转价格监督检查科核查处理。",
        )

    inv.open_case(
        s,
        m,
        kind="complaint",
        start_reason="12345热线转办价格举报，当事人涉嫌不按规定明码标价。",
        first=registered,
    )
    goto(s, "2026-10-13 08:30").move("investigation")
    goto(s, "2026-10-13 10:30")
    inv.inspection(
        s,
        m,
        minutes=60,
        ended_ago=30,
        findings="当事人经营场所面积约200平方米，正在营业。散装食品区、蔬菜区共37种商品未标示价格，"
        "另有12种商品的价签未标示计价单位。执法人员对未标价商品逐一拍照登记。",
        items=["未标价散装食品21种", "未标价蔬菜16种", "未标示计价单位的价签12张"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.legal_rep)
    s.later(minutes=30).media(
        "超市明码标价现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-10-14 15:40")
    inv.inquiry(
        s,
        m,
        minutes=50,
        ended_ago=20,
        qa="问：我们是新乐市发展和改革局的执法人员（出示执法证件），现就你超市明码标价情况依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：10月13日检查时散装食品和蔬菜区共37种商品没有标价，是否属实？\n答：价签是有的，被顾客弄掉了。\n"
        "问：现场检查时执法人员已逐一拍照，价签位置为空，你有何解释？\n答：我不认可，我不签字。",
        party_confirmation=None,
        refusal_note="当事人对询问笔录内容有异议，拒绝签字，由两名执法人员签字并注明情况。",
    ).officers_sign("inquiry_record")
    s.refuse("inquiry_record", "party", party.legal_rep, "当事人对询问笔录内容有异议，拒绝签字。")
    s.later(hours=1).media("询问过程录音", "inquiry", captured_hours_ago=2, link="inquiry_record")


def energy_review(s: CaseScript) -> None:
    party = Party(
        "legal_person",
        "新乐市某某纸业有限公司",
        "91130184MA0Y2H7R9D",
        "新乐市经济开发区某某路某号",
        "0311-8858****",
        legal_rep="冯某",
        rep_id_no="130184197208150017",
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="未按规定进行节能审查擅自开工建设",
        title="新乐市某某纸业有限公司年产5万吨瓦楞纸技改项目未按规定进行节能审查擅自开工建设案",
        summary="当事人技改项目未经节能审查即开工建设。",
        source="固定资产投资项目节能审查事中事后监管检查发现",
        place="新乐市经济开发区某某路某号新乐市某某纸业有限公司技改项目建设现场",
        facts="当事人年产5万吨瓦楞纸技术改造项目年综合能源消费量约6800吨标准煤，依法应当在开工建设前取得节能审查意见。"
        "当事人未按规定进行节能审查，于2026年5月擅自开工建设，至检查时已完成厂房基础施工及部分设备安装。",
        evidence=(
            "项目备案信息1份",
            "现场检查笔录1份",
            "询问笔录1份",
            "施工合同及设备采购合同复印件",
            "现场照片及执法记录仪音像资料",
        ),
        violated="《中华人民共和国节约能源法》第十五条和" + _ENERGY_RULES,
        basis=_ENERGY_RULES + "关于未按规定进行节能审查擅自开工建设的项目责令停止建设、限期整改",
        discretion="项目尚未投入生产，当事人积极配合调查并承诺立即停止建设、补办节能审查。",
        proposal="责令当事人立即停止该项目建设，限期九十日内完成整改，依法报送节能报告并取得节能审查意见。",
        penalty_kinds=("restriction", "correction"),
        hearing=True,
    )
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="节能审查事中事后监管检查发现当事人技改项目未取得节能审查意见即开工建设。",
    )
    _energy_investigation(s, m)
    goto(s, "2026-07-22 09:00").move("decision", reason="陈述申辩及申请听证期限届满，当事人书面放弃听证")
    goto(s, "2026-07-23 10:00")
    dec.legal_review(
        s,
        m,
        submitted_days_ago=1,
        opinion="经审核，本案执法主体合法；违法事实清楚，证据确实充分；适用法律依据正确；已依法告知陈述、申辩和听证权利，"
        "程序合法；拟作出的责令停止建设、限期整改决定适当。同意承办人意见。",
    )
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当。")
    goto(s, "2026-07-24 09:00").approve("head_approval", "head", "同意。")
    goto(s, "2026-07-24 14:00")
    dec.penalty_decision(
        s,
        m,
        statement_review="当事人书面陈述称项目系企业技术改造、已着手编制节能报告，请求从轻处理。经复核，其所述情节已在处理中考虑。",
        content="一、责令当事人立即停止年产5万吨瓦楞纸技术改造项目建设；\n"
        "二、责令当事人自收到本决定书之日起九十日内完成整改，依法报送节能报告并取得节能审查意见，未取得前不得恢复建设、投入生产。",
    )
    goto(s, "2026-07-27 09:00").move("service_enforcement")
    s.later(hours=1)
    srv.receipt(
        s,
        m,
        doc_key="penalty_decision",
        at=ago(s, minutes=30),
        place=party.address,
        way=srv.handed_over(m),
        key="service",
    )
    goto(s, "2026-10-26 10:00")
    srv.performance(
        s,
        m,
        due="2026-10-25",
        status="full",
        details="当事人于收到决定书当日停止项目建设，于2026年9月报送项目节能报告，经评审后于2026年10月20日取得节能审查意见，"
        "已按期完成整改。经现场核查，项目停建期间未恢复施工。",
    )
    goto(s, "2026-10-27 10:00")
    srv.closing_report(
        s,
        m,
        decision=f"行政处理决定书（{s.docs['penalty_decision'].fields['doc_number']}）：责令停止建设、限期九十日内完成整改。",
        performance="当事人已停止建设并在期限内取得节能审查意见，处理决定已履行完毕。",
    )
    s.later(hours=1).move("closed")
    goto(s, "2026-11-06 10:00").archive(
        "本卷共收文书及音像记录如目录所列；当事人已履行处理决定，节能审查意见复印件附于履行情况记录之后。"
    )


def _energy_investigation(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-07-07 08:30").move("investigation")
    goto(s, "2026-07-07 11:00")
    inv.inspection(
        s,
        m,
        minutes=90,
        ended_ago=30,
        findings="技改项目建设现场已完成新建厂房基础施工，瓦楞纸机烘缸等部分主要设备已进场安装，现场有施工人员作业。"
        "当事人法定代表人冯某在场，未能出示节能审查意见。执法人员当场责令其停止施工。",
        items=["新建厂房基础1处", "瓦楞纸机烘缸等主要设备6台（套）"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", m.party.legal_rep)
    s.later(minutes=30).media(
        "技改项目现场检查录音", "inspection", captured_hours_ago=3, link="inspection_record"
    )
    goto(s, "2026-07-09 11:00")
    inv.inquiry(
        s,
        m,
        minutes=60,
        ended_ago=30,
        qa="问：我们是新乐市发展和改革局的执法人员（出示执法证件），现就你公司技改项目节能审查情况依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：该技改项目何时开工？年综合能源消费量是多少？\n答：今年五月开工，设计年综合能耗约六千八百吨标准煤。\n"
        "问：开工前是否取得节能审查意见？\n答：没有，以为技改项目不需要。\n问：你还有什么补充？\n答：我们马上停工，抓紧编制节能报告。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", m.party.legal_rep)
    goto(s, "2026-07-14 15:00")
    dec.final_report(
        s,
        m,
        process="7月6日立案；7月7日现场检查并责令停止施工；7月9日询问当事人法定代表人冯某；调取项目备案信息及合同材料。",
    )
    goto(s, "2026-07-15 09:30").approve("review", "reviewer", "事实清楚，证据确实充分，同意承办人处理建议。")
    s.later(minutes=40).approve("approval", "approver", "同意承办人和审核人意见。")
    s.later(hours=1)
    dec.rights_notice(s, m)
    goto(s, "2026-07-15 15:00")
    srv.receipt(
        s,
        m,
        doc_key="rights_notice",
        at=ago(s, minutes=30),
        place=m.party.address,
        way=srv.handed_over(m),
        key="service_rights",
    )
