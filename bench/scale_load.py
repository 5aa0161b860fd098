"""Load N cases for the scale bench by bulk SQL (``executemany``), bypassing the services.

The five demo agencies, their units and people come from the demo loader (``liuhen.demo.load``), plus
one justice-bureau supervisor who supervises all five. Then ``N / 5`` cases per agency, newest last,
opened over five years, each with one party (a person with a generated two- or three-character name,
or an organisation) through the case–party link: the rows a list and a search read. The triggers of
migration 0013 fill the SQLite FTS tables as the rows go in; PostgreSQL's GIN indexes likewise.

A sample (``SAMPLE`` of the cases, 2 %) gets realistic records copied from cases made through the
services (``bench.inbox_bench._templates``): documents, signatures, stored findings and the compliance
summary, so the inbox and the statistics have something to read. No ledger entries: nothing measured
reads the ledger.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

CHUNK = 5000
SAMPLE = 50  # one case in 50 gets documents, findings and a compliance summary
YEARS = 5
END = datetime(2026, 11, 1, tzinfo=UTC)
CAUSES = [
    "占道经营", "无照经营", "违法建设", "擅自设置户外广告", "乱倒建筑垃圾", "超出门窗外墙经营",
    "未按规定设置垃圾容器", "擅自占用城市道路", "露天焚烧垃圾", "违规排放污水", "夜间施工噪声扰民",
    "未取得排污许可证排放污染物", "超标排放大气污染物", "未落实扬尘污染防治措施", "擅自砍伐城市树木",
    "损毁城市绿地", "餐饮油烟超标排放", "无证运输渣土", "车辆带泥上路", "擅自挖掘城市道路",
    "违规堆放物料", "未办理环评手续擅自开工", "危险废物贮存不规范", "未按规定公示收费项目",
    "销售过期食品", "无证从事食品经营", "未履行进货查验义务", "虚假宣传", "价格欺诈", "违法发布广告",
]  # fmt: skip
RARE_CAUSE = "擅自在河道管理范围内采砂"  # on one case in 20,000: a search with few hits
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美娜玉兰桂芝红霞平刚桂英建国建华志强志明海燕春梅雪梅国强德明晓东晓明"  # noqa: E501
ORG_SUFFIXES = ["商行", "餐饮店", "建筑工程有限公司", "环保科技有限公司", "物流有限公司", "便利店", "烧烤店"]


@dataclass
class World:
    agencies: list[Any]
    people: dict[str, dict[str, Any]]  # agency code -> {suffix: user}
    supervisor: Any  # supervises all five
    cases: int
    seconds: float
    names: dict[str, str]  # a few party names and causes that exist, for the searches


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def load(n_cases: int, *, seed: int = 14) -> World:
    import time

    from django.db import connection, transaction

    from liuhen.accounts.models import Agency
    from liuhen.accounts.services import user_create
    from liuhen.demo.agencies import AGENCIES
    from liuhen.demo.load import _agency

    started = time.perf_counter()
    rng = random.Random(seed)
    agencies, people = [], {}
    for spec in AGENCIES:
        with transaction.atomic():
            agency, staff = _agency(spec)
        agencies.append(agency)
        people[agency.code] = staff
    bureau = Agency.objects.get(code=f"{AGENCIES[0].login}-sfj")
    supervisor = user_create(
        username="scale_supervisor",
        password="scale-Passw0rd-2026",
        agency=bureau,
        roles=["supervisor"],
        full_name="全市监督员",
        supervised=agencies,
    )
    templates = _template_shapes()
    per_agency = n_cases // len(agencies)
    next_case = _max_id("cases_case") + 1
    next_party = _max_id("cases_party") + 1
    names: dict[str, str] = {}
    for agency, spec in zip(agencies, AGENCIES, strict=True):
        staff = people[agency.code]
        handlers = [u for u in staff.values() if "handler" in u.roles or "officer" in u.roles]
        units = list(agency.units.filter(kind__in=("squad", "section")).values_list("pk", flat=True)) or [
            None
        ]
        with transaction.atomic():
            made = _cases(
                agency, spec.case_prefix, per_agency, handlers, units, rng, next_case, next_party, names
            )
            _sample_records(templates, agency, next_case, per_agency)
        next_case += made
        next_party += made
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("cases_case", "cases_party", "cases_case_parties"):
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                cursor.execute(sql)
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    return World(
        agencies, people, supervisor, per_agency * len(agencies), time.perf_counter() - started, names
    )


def _max_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")  # noqa: S608 - constant table name
        return int(cursor.fetchone()[0])


def _cases(agency, prefix, n, handlers, units, rng, first_case, first_party, names) -> int:
    """``n`` cases of ``agency`` with one party each, opened evenly over :data:`YEARS` years (oldest
    first, so ids grow with time as they do in use); returns ``n``."""
    from django.db import connection

    span = timedelta(days=365 * YEARS) / max(n, 1)
    start = END - timedelta(days=365 * YEARS)
    seqs: dict[int, int] = {}
    case_rows, party_rows, link_rows = [], [], []
    columns = (
        "id, agency_id, unit_id, case_no, year, seq, procedure, initiation_kind, cause, summary, source, "
        "emergency_start, emergency_started_at, is_real_name_complaint, confidential, flags, stage, "
        "handler_id, opened_at, opened_by_id, enforcement_ended_at, archived_at"
    )
    case_sql = f"INSERT INTO cases_case ({columns}) VALUES ({', '.join(['%s'] * 22)})"  # noqa: S608 - constants
    party_sql = (
        "INSERT INTO cases_party (id, agency_id, kind, name, id_type, id_number, legal_representative, "
        "address, phone, created_at, created_by_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    link_sql = "INSERT INTO cases_case_parties (case_id, party_id) VALUES (%s, %s)"
    age_open = END - timedelta(days=120)

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(party_sql, party_rows)
            cursor.executemany(case_sql, case_rows)
            cursor.executemany(link_sql, link_rows)
        case_rows.clear(), party_rows.clear(), link_rows.clear()

    for i in range(n):
        opened = start + span * i + timedelta(seconds=rng.randrange(60))
        seq = seqs[opened.year] = seqs.get(opened.year, 0) + 1
        handler = rng.choice(handlers)
        if opened > age_open:
            stage = rng.choice(
                ("initiation", "investigation", "investigation", "decision", "service_enforcement")
            )
        else:
            stage = rng.choice(("closed", "archived", "archived", "archived"))
        cause = RARE_CAUSE if i % 20000 == 7 else rng.choice(CAUSES)
        procedure = "summary" if rng.random() < 0.3 else "general"
        case_id, party_id = first_case + i, first_party + i
        if rng.random() < 0.8:
            name, kind, id_number = _name(rng), "person", f"2102{rng.randrange(10**13, 10**14)}"
        else:
            name = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(ORG_SUFFIXES)}"
            kind, id_number = "organisation", f"91210{rng.randrange(10**12, 10**13)}X"
        party_rows.append(
            (party_id, agency.pk, kind, name, "居民身份证" if kind == "person" else "统一社会信用代码",
             id_number, "", "某市某区某路1号", "", opened, handler.pk)
        )  # fmt: skip
        case_rows.append(
            (case_id, agency.pk, rng.choice(units), f"{prefix}〔{opened.year}〕{seq}号", opened.year, seq,
             procedure, "ex_officio", cause, "当事人在人行道上摆摊经营。", "日常巡查发现", False, None, False,
             rng.random() < 0.01, "[]", stage, handler.pk, opened, handler.pk, None,
             opened + timedelta(days=60) if stage == "archived" else None)
        )  # fmt: skip
        link_rows.append((case_id, party_id))
        if i == n // 2:
            names.setdefault("party_full", name if kind == "person" else names.get("party_full", name))
        if kind == "person" and len(name) == 2 and "party_two" not in names:
            names["party_two"] = name
        if kind == "person" and len(name) == 3 and i > n // 3 and "party_three" not in names:
            names["party_three"] = name
        if len(case_rows) >= CHUNK:
            flush()
    flush()
    return n


def _template_shapes():
    """Open and closed cases made through the services, their records as rows to copy."""
    from bench.inbox_bench import _shape, _templates

    _, _, open_cases, closed_cases = _templates()
    return [_shape(c) for c in open_cases], [_shape(c) for c in closed_cases]


def _sample_records(templates, agency, first_case: int, n: int) -> None:
    """Documents, signatures, findings and the compliance summary of a template on one case in
    :data:`SAMPLE` (open cases copy an open template, closed ones a closed one)."""
    from django.db.models.functions import Mod

    from liuhen.cases.models import Case, Document, Signature
    from liuhen.compliance.models import CaseCompliance, StoredFinding

    open_shapes, closed_shapes = templates
    cases = list(
        Case.objects.filter(pk__gte=first_case, pk__lt=first_case + n)
        .annotate(every=Mod("id", SAMPLE))
        .filter(every=0)
        .values_list("pk", "stage")
    )
    docs, plan = [], []
    for k, (case_id, stage) in enumerate(cases):
        shapes = closed_shapes if stage in ("closed", "archived") else open_shapes
        shape = shapes[k % len(shapes)]
        plan.append((case_id, shape))
        docs += [Document(**{**d, "id": None, "case_id": case_id}) for d in shape[1]]
    Document.objects.bulk_create(docs, batch_size=2000)
    copies = iter(docs)
    signatures, findings, summaries = [], [], []
    for case_id, (_, shape_docs, shape_sigs, shape_findings, summary, _) in plan:
        ids = {d["id"]: next(copies).pk for d in shape_docs}
        refs = {f"document:{old}": f"document:{pk}" for old, pk in ids.items()}
        signatures += [
            Signature(**{**s, "id": None, "document_id": ids[s["document_id"]]}) for s in shape_sigs
        ]
        findings += [
            StoredFinding(
                **{**f, "id": None, "case_id": case_id, "agency_id": agency.pk,
                   "record_ids": [refs.get(r, r) for r in f["record_ids"]]}
            )
            for f in shape_findings
        ]  # fmt: skip
        summaries.append(
            CaseCompliance(**{**summary, "id": None, "case_id": case_id, "agency_id": agency.pk,
                              "profile_id": agency.profile_id})
        )  # fmt: skip
    Signature.objects.bulk_create(signatures, batch_size=2000)
    StoredFinding.objects.bulk_create(findings, batch_size=5000)
    CaseCompliance.objects.bulk_create(summaries, batch_size=2000)
