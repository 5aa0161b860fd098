"""高昌区生态环境局: 超标排放 (decided, served, rectification checked), 未批先建 (in investigation)."""

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
    person,
    put,
)
from liuhen.demo.script import CaseScript

OFFICE = Office(
    name="高昌区生态环境局",
    legal_unit="法制股",
    review_body="吐鲁番市高昌区人民政府",
    payment="新疆维吾尔自治区非税收入收缴系统（凭《非税收入缴款通知书》所载缴款码缴纳）",
    inquiry_room="高昌区生态环境局环境执法大队询问室",
    phone="0995-856****",
)
_AIR = "《中华人民共和国大气污染防治法》"
_EIA = "《中华人民共和国环境影响评价法》"


def _kiln_matter() -> Matter:
    party = Party(
        "legal_person",
        "吐鲁番某某建材有限公司",
        "91650402MA77R6KX3Q",
        "吐鲁番市高昌区某某乡工业园区",
        "0995-623****",
        legal_rep="马某",
        rep_id_no="652101198104120031",
        rep_address="吐鲁番市高昌区老城路某号",
    )
    return Matter(
        office=OFFICE,
        party=party,
        cause="超标排放大气污染物",
        title="吐鲁番某某建材有限公司超标排放大气污染物案",
        summary="污染源自动监控数据显示当事人1号隧道窑废气颗粒物排放浓度超过排放标准。",
        source="污染源自动监控数据超标报警",
        place="吐鲁番市高昌区某某乡工业园区吐鲁番某某建材有限公司1号隧道窑",
        facts="2026年8月30日至9月1日，当事人1号隧道窑废气排放口自动监控数据显示颗粒物小时均值浓度多次超过"
        "《砖瓦工业大气污染物排放标准》（GB 29620—2013）规定的限值（30mg/m³）。2026年9月3日执法人员现场检查并委托监测，"
        "经检测，该排放口颗粒物排放浓度为68mg/m³，超过排放标准1.27倍。",
        evidence=(
            "污染源自动监控数据及超标报警记录",
            "现场检查笔录1份",
            "抽样取证笔录及监测报告1份",
            "询问笔录1份",
            "营业执照及排污许可证复印件各1份",
            "现场照片及执法记录仪音像资料",
        ),
        violated=f"{_AIR}第十八条",
        basis=f"{_AIR}第九十九条第（二）项",
        discretion="超标倍数1.27倍，超标持续约3日；当事人在调查期间主动停窑检修除尘设施，配合调查，"
        "依照自治区生态环境行政处罚自由裁量基准，在十万元以上一百万元以下的幅度内处以罚款15万元。",
        proposal="责令当事人改正超标排放大气污染物的违法行为，并处罚款人民币15万元。",
        penalty_kinds=("correction", "fine"),
        fine="150000.00",
        hearing=True,
    )


def emissions(s: CaseScript) -> None:
    m = _kiln_matter()
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="污染源自动监控系统连续报警，当事人涉嫌超标排放大气污染物，需立案调查。",
    )
    _kiln_investigation(s, m)
    _kiln_decision(s, m)
    goto(s, "2026-09-23 14:00").move("service_enforcement")
    goto(s, "2026-09-28 09:00")
    mail = {
        "method": "mail",
        "mail_type": "express",
        "mail_tracking_no": "1178XXXX65402",
        "postage_receipt_no": "高昌邮寄字2026-0923-07",
        "mailed_on": "2026-09-23",
        "return_receipt_kept": True,
    }
    srv.receipt(
        s,
        m,
        doc_key="penalty_decision",
        at=ago(s, days=3, hours=-6),
        place=m.party.address,
        way=mail,
        key="service",
    )
    goto(s, "2026-10-09 11:00")
    srv.check_record(
        s,
        m,
        checked=ago(s, hours=1),
        findings="1号隧道窑除尘设施已更换布袋、修复破损管道并恢复运行；复查期间自动监控数据显示颗粒物排放浓度为12～18mg/m³，"
        "符合排放标准。当事人已建立除尘设施运行维护台账。",
        result="completed",
        follow_up="当事人已按期改正，转入后督察，继续关注自动监控数据。",
    )
    s.officers_sign("rectification_check_record")
    party_sign(s, "rectification_check_record", m.party.legal_rep)
    s.later(minutes=30).media(
        "整改复查现场录音", "rectification_check", captured_hours_ago=2, link="rectification_check_record"
    )


def _kiln_investigation(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-09-03 08:30").move("investigation")
    goto(s, "2026-09-03 11:00")
    inv.inspection(
        s,
        m,
        minutes=70,
        ended_ago=20,
        findings="检查时当事人1号隧道窑正在生产，窑尾袋式除尘器压差异常，部分滤袋破损，除尘器出口烟道可见明显烟尘；"
        "自动监控设备运行正常，显示颗粒物实时浓度60～72mg/m³。当事人持有排污许可证，未能提供近期除尘设施运行维护记录。",
        items=["1号隧道窑窑尾袋式除尘器1套（部分滤袋破损）", "颗粒物自动监控设备1套"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", m.party.legal_rep)
    s.later(minutes=10).media(
        "1号隧道窑现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    s.later(minutes=20)
    put(
        s,
        "sampling_record",
        {
            "sampling_started_at": iso(ago(s, minutes=110)),
            "sampling_ended_at": iso(ago(s, minutes=50)),
            "place": "1号隧道窑废气排放口采样平台",
            **m.party.block(full=False),
            **officers(s),
            "recorder_name": person(s, "officer2"),
            "sampling_basis": "《固定污染源排气中颗粒物测定与气态污染物采样方法》（GB/T 16157）",
            "sampling_method": "由吐鲁番市生态环境监测站监测人员在执法人员见证下于排放口采样平台等速采样，连续采集3个样品，当场封样。",
            "sample_items": ["颗粒物滤筒样品（1号隧道窑废气排放口）3个"],
            "sample_count": 3,
            "sample_sealed": True,
            "seal_number": "GC-HB-20260903-01至03",
            "sample_storage": "密封避光保存，当日送检",
            "testing_agency": "吐鲁番市生态环境监测站",
            "av_recorded": True,
            "party_confirmation": "以上记录属实。",
        },
    ).officers_sign("sampling_record")
    party_sign(s, "sampling_record", m.party.legal_rep)
    s.later(minutes=20).media(
        "1号隧道窑抽样取证录音", "sampling", captured_hours_ago=2, link="sampling_record"
    )
    goto(s, "2026-09-03 15:00")
    inv.rectification_notice(
        s,
        m,
        requirements="立即采取措施停止超标排放，检修或更换除尘设施，确保大气污染物稳定达标排放，并将整改情况书面报告本局。",
        due_in_days=30,
    )
    s.later(minutes=40)
    srv.receipt(
        s,
        m,
        doc_key="rectification_notice",
        at=ago(s, minutes=20),
        place=m.party.address,
        way=srv.handed_over(m),
        key="service_rectification",
    )
    goto(s, "2026-09-07 11:10")
    inv.inquiry(
        s,
        m,
        minutes=50,
        ended_ago=20,
        qa="问：我们是高昌区生态环境局的执法人员（出示执法证件），现就你公司1号隧道窑超标排放一事依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了，不申请回避。\n"
        "问：你公司1号隧道窑的除尘设施是什么情况？\n答：是窑尾袋式除尘器，八月底有几条布袋破了，一直没来得及换。\n"
        "问：八月三十日到九月一日在线监测超标报警，你们是否知道？\n答：知道，以为是设备数据漂移，没有停窑。\n"
        "问：九月三日监测结果颗粒物浓度68mg/m³，你是否认可？\n答：认可。\n问：目前整改情况？\n答：九月四日已停窑，正在更换全部布袋。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", m.party.legal_rep)
    goto(s, "2026-09-10 16:00")
    dec.final_report(
        s,
        m,
        process="9月2日依据自动监控超标报警立案；9月3日现场检查、委托监测采样并下达责令改正违法行为决定书；9月7日询问当事人法定代表人马某；9月9日取得监测报告。",
    )
    goto(s, "2026-09-11 09:30").approve(
        "review", "reviewer", "事实清楚，证据确实充分，同意罚款15万元的处理建议。"
    )
    s.later(minutes=40).approve("approval", "approver", "同意承办人和审核人意见。")
    s.later(hours=1)
    dec.rights_notice(s, m)
    goto(s, "2026-09-15 09:00")
    mail = {
        "method": "mail",
        "mail_type": "express",
        "mail_tracking_no": "1178XXXX60911",
        "postage_receipt_no": "高昌邮寄字2026-0911-03",
        "mailed_on": "2026-09-11",
        "return_receipt_kept": True,
    }
    srv.receipt(
        s,
        m,
        doc_key="rights_notice",
        at=ago(s, days=1, hours=-2),
        place=m.party.address,
        way=mail,
        key="service_rights",
    )


def _kiln_decision(s: CaseScript, m: Matter) -> None:
    goto(s, "2026-09-21 08:30").move(
        "decision", reason="陈述申辩及申请听证期限届满，当事人未提出陈述申辩，未申请听证"
    )
    goto(s, "2026-09-22 10:00")
    dec.legal_review(
        s,
        m,
        submitted_days_ago=1,
        opinion=f"经审核，本案执法主体合法；违法事实清楚，监测数据合法有效，证据确实充分；适用{_AIR}第十八条、第九十九条第（二）项正确；"
        "已依法告知陈述、申辩和听证权利，程序合法；罚款数额符合裁量基准。同意承办人意见，本案罚款数额较大，应提交集体讨论。",
    )
    s.later(hours=1).approve("legal_review", "legal", "程序合法，适用法律正确，裁量适当，建议提交集体讨论。")
    goto(s, "2026-09-22 17:00")
    put(
        s,
        "collective_discussion_record",
        {
            "case_cause": m.title,
            "party_name": m.party.name,
            "meeting_at": iso(ago(s, hours=2)),
            "place": "高昌区生态环境局三楼会议室",
            "host": person(s, "head"),
            "attendees": [person(s, who) for who in ("head", "approver", "reviewer", "legal", "officer")],
            "recorder_name": person(s, "officer2"),
            "case_report": f"承办人{person(s, 'officer')}汇报：{m.facts}建议：{m.proposal}",
            "discussion": f"{person(s, 'approver')}：事实清楚，同意罚款15万元。\n{person(s, 'legal')}：程序合法，裁量适当。\n"
            f"{person(s, 'reviewer')}：同意。\n{person(s, 'head')}：同意，并要求做好后督察。",
            "decision": m.proposal,
        },
    )
    s.later(minutes=30).approve("head_approval", "head", "同意集体讨论决定，作出行政处罚决定。")
    goto(s, "2026-09-23 10:00")
    dec.penalty_decision(
        s,
        m,
        statement_review="当事人在规定期限内未提出陈述、申辩，未申请听证。",
        content="一、责令当事人立即改正超标排放大气污染物的违法行为；\n二、处罚款人民币壹拾伍万元整（150000元）。",
    )


def no_eia(s: CaseScript) -> None:
    party = Party(
        "individual_business",
        "高昌区某某砂石料场",
        "92650402MA78T2QC5T",
        "吐鲁番市高昌区某某乡某某村",
        "139****1187",
        legal_rep="吐某",
        rep_id_no="652101197503070514",
    )
    m = Matter(
        office=OFFICE,
        party=party,
        cause="未依法报批环境影响评价文件擅自开工建设",
        title="高昌区某某砂石料场未依法报批环境影响评价文件擅自开工建设案",
        summary="当事人年产20万吨砂石加工项目未报批环境影响报告表即开工建设。",
        source="“双随机、一公开”执法检查发现",
        place="吐鲁番市高昌区某某乡某某村西侧高昌区某某砂石料场",
        facts="当事人年产20万吨砂石加工项目依法应当编制环境影响报告表，当事人未依法报批即于2026年10月擅自开工建设，"
        "检查时已建成破碎筛分生产线一条并进行设备调试。",
        evidence=("现场检查笔录1份", "现场照片8张", "执法记录仪音像资料1段"),
        violated=f"{_EIA}第二十五条",
        basis=f"{_EIA}第三十一条第一款",
        discretion="待调取项目总投资材料后确定。",
        proposal="责令当事人停止建设，并根据违法情节和危害后果处项目总投资额百分之一以上百分之五以下的罚款。",
    )
    inv.open_case(
        s,
        m,
        kind="ex_officio",
        start_reason="执法检查发现当事人砂石加工项目未报批环境影响评价文件即开工建设。",
    )
    goto(s, "2026-11-11 09:00").move("investigation")
    goto(s, "2026-11-11 11:30")
    inv.inspection(
        s,
        m,
        minutes=60,
        ended_ago=30,
        findings="现场建有颚式破碎机1台、圆锥破碎机1台、振动筛2台及皮带输送机组成的破碎筛分生产线一条，正在进行设备调试；"
        "原料堆场约3000平方米，未建设围挡和喷淋抑尘设施。经营者吐某在场，未能出示环境影响评价文件批复。",
        items=["颚式破碎机1台", "圆锥破碎机1台", "振动筛2台", "皮带输送机4条"],
    ).officers_sign("inspection_record")
    party_sign(s, "inspection_record", party.legal_rep)
    s.later(minutes=30).media(
        "砂石料场现场检查录音", "inspection", captured_hours_ago=2, link="inspection_record"
    )
    goto(s, "2026-11-11 15:00")
    inv.rectification_notice(
        s,
        m,
        requirements="立即停止项目建设，依法编制环境影响报告表并报批，未经批准不得建设、投入生产。",
        due_in_days=60,
    )
    goto(s, "2026-11-12 10:00")
    put(
        s,
        "evidence_request_notice",
        {
            "doc_number": number(s, "调", penalty=False),
            "recipient_name": party.name,
            "case_cause": m.title,
            "evidence_items": ["项目备案文件", "项目总投资相关合同及付款凭证", "主要生产设备购置发票"],
            "legal_basis": "《中华人民共和国行政处罚法》第五十五条、《中华人民共和国环境保护法》第二十四条",
            "provide_by": later_day(s.at, 5),
            "provide_place": "高昌区生态环境局环境执法大队",
            "contact_person": person(s, "officer"),
            "contact_phone": OFFICE.phone,
            "issued_on": day(s.at),
        },
    )
    goto(s, "2026-11-13 11:00")
    inv.inquiry(
        s,
        m,
        minutes=45,
        ended_ago=15,
        qa="问：我们是高昌区生态环境局的执法人员（出示执法证件），现就你料场砂石加工项目建设情况依法调查，"
        "你有陈述、申辩和申请回避的权利，询问全程录音录像，是否听清楚？\n答：听清楚了。\n"
        "问：砂石加工项目何时开工建设？\n答：今年十月初开始安装设备。\n问：是否办理了环境影响评价手续？\n答：还没有办，想先把设备装起来。\n"
        "问：项目总投资多少？\n答：大概三百万元，合同和发票过两天送来。",
    ).officers_sign("inquiry_record")
    party_sign(s, "inquiry_record", party.legal_rep)
