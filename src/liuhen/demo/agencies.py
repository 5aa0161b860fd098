"""The five agencies of the seeds, their units and people, and the justice bureaus supervising them."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "liuhen-demo"  # noqa: S105 — public demo logins, printed by `make run`


@dataclass(frozen=True)
class DemoAgency:
    code: str
    login: str  # username prefix
    name: str
    short_name: str
    case_prefix: str
    province: str
    units: tuple[tuple[str, str], ...]  # (name, kind)
    people: tuple[tuple[str, str, str], ...]  # (username suffix, full name, comma roles)
    justice_bureau: str


_UNITS_CG = (
    ("执法一中队", "squad"),
    ("执法二中队", "squad"),
    ("法制科", "legal"),
    ("办公室", "office"),
    ("局领导", "leadership"),
)

AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        "dalian-cg",
        "dalian",
        "大连高新技术产业园区城市管理行政执法局",
        "大连高新城管",
        "大高新城管罚",
        "辽宁",
        _UNITS_CG,
        (
            ("officer", "张伟", "officer,handler"),
            ("officer2", "李娜", "officer"),
            ("reviewer", "王强", "reviewer"),
            ("approver", "刘洋", "approver"),
            ("legal", "陈静", "legal_unit"),
            ("head", "赵建国", "head"),
            ("archivist", "孙丽", "archivist"),
            ("archivist2", "钱芳", "archivist"),  # 检查人: the case file is signed by two
            ("custodian", "周明", "device_custodian"),
            ("admin", "吴昊", "admin"),
        ),
        "大连高新技术产业园区司法局",
    ),
    DemoAgency(
        "gaochang-sthj",
        "gaochang",
        "高昌区生态环境局",
        "高昌生态环境",
        "高环罚",
        "新疆",
        (
            ("环境执法大队", "squad"),
            ("环境监察科", "section"),
            ("法制股", "legal"),
            ("办公室", "office"),
            ("局领导", "leadership"),
        ),
        (
            ("officer", "艾力·买买提", "officer,handler"),
            ("officer2", "马晓燕", "officer"),
            ("reviewer", "古丽米拉", "reviewer"),
            ("approver", "杨志刚", "approver"),
            ("legal", "何敏", "legal_unit"),
            ("head", "热合曼·吐尔逊", "head"),
            ("archivist", "徐婷", "archivist"),
            ("archivist2", "古丽娜", "archivist"),  # 检查人: the case file is signed by two
            ("custodian", "高峰", "device_custodian"),
            ("admin", "林涛", "admin"),
        ),
        "吐鲁番市高昌区司法局",
    ),
    DemoAgency(
        "longjiang-cg",
        "longjiang",
        "龙江县城市管理综合执法大队",
        "龙江城管",
        "龙城管罚",
        "黑龙江",
        (
            ("一中队", "squad"),
            ("二中队", "squad"),
            ("法制股", "legal"),
            ("大队办公室", "office"),
            ("大队领导", "leadership"),
        ),
        (
            ("officer", "王磊", "officer,handler"),
            ("officer2", "赵雪", "officer"),
            ("reviewer", "孙海", "reviewer"),
            ("approver", "钱伟", "approver"),
            ("legal", "郑丽华", "legal_unit"),
            ("head", "冯国栋", "head"),
            ("archivist", "韩梅", "archivist"),
            ("archivist2", "邹敏", "archivist"),  # 检查人: the case file is signed by two
            ("custodian", "曹军", "device_custodian"),
            ("admin", "邓超", "admin"),
        ),
        "龙江县司法局",
    ),
    DemoAgency(
        "xinglongtai-mz",
        "xinglongtai",
        "兴隆台区民政局",
        "兴隆台民政",
        "兴民罚",
        "辽宁",
        (
            ("社会组织管理科", "section"),
            ("社会事务科", "section"),
            ("法制股", "legal"),
            ("办公室", "office"),
            ("局领导", "leadership"),
        ),
        (
            ("officer", "刘芳", "officer,handler"),
            ("officer2", "张建华", "officer"),
            ("reviewer", "王海燕", "reviewer"),
            ("approver", "李春生", "approver"),
            ("legal", "姜丽", "legal_unit"),
            ("head", "宋志强", "head"),
            ("archivist", "罗娟", "archivist"),
            ("archivist2", "于洋", "archivist"),  # 检查人: the case file is signed by two
            ("custodian", "唐勇", "device_custodian"),
            ("admin", "许可", "admin"),
        ),
        "盘锦市兴隆台区司法局",
    ),
    DemoAgency(
        "xinle-fg",
        "xinle",
        "新乐市发展和改革局",
        "新乐发改",
        "新发改罚",
        "河北",
        (
            ("价格监督检查科", "section"),
            ("能源科", "section"),
            ("法规科", "legal"),
            ("办公室", "office"),
            ("局领导", "leadership"),
        ),
        (
            ("officer", "郭晓东", "officer,handler"),
            ("officer2", "田静", "officer"),
            ("reviewer", "潘文", "reviewer"),
            ("approver", "董立新", "approver"),
            ("legal", "袁媛", "legal_unit"),
            ("head", "蒋海涛", "head"),
            ("archivist", "白雪", "archivist"),
            ("archivist2", "郝静", "archivist"),  # 检查人: the case file is signed by two
            ("custodian", "石磊", "device_custodian"),
            ("admin", "贾鹏", "admin"),
        ),
        "新乐市司法局",
    ),
)
