"""The world of the isolation test, built once per module through the real services.

Two enforcement agencies, A and B, each with: an ordinary case with a party (a natural person with an
ID number, phone and home address), a 询问笔录 holding an interviewee's ID number, phone and address, a
confidential 询问笔录 in the ordinary case, a confidential case, A/V (ordinary, confidential, waiting
for a case, linked to the case after intake, and one whose stored file went missing so that fixity
raised an integrity alert), a device, an approval step and an upload in progress. Agency A has one
user per role; a justice bureau's supervisor supervises A. Cases and records are opened by a separate
"owner" user, so no role-holder under test is the handler or opener of anything (the handler/opener
exception to confidentiality never applies to them).

Every object carries ASCII *markers* (JSON escapes Chinese, so Chinese text could not be searched for)
that may appear in a response only if the object is visible to the user; personal data (ID numbers,
phones, home addresses) are listed separately because they must be masked for roles without
``personal.view`` even where the object holding them is visible.

The world lives in one transaction opened for the module and rolled back at its end; each test runs in
a savepoint inside it (pytest-django's ``db``), so writes made by one test never reach the next.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass, field

import pytest

from liuhen.core import clock
from liuhen.core.codes import ROLE_CODES

ROLES = ROLE_CODES  # one principal per role of the role table
BUREAU_SUPERVISOR = "bureau_supervisor"  # a justice bureau's supervisor who supervises agency A
ANONYMOUS = "anonymous"
PRINCIPALS = (*ROLES, BUREAU_SUPERVISOR, ANONYMOUS)


@dataclass(frozen=True)
class Principal:
    """Someone sending requests: a user of A with one role, the bureau's supervisor, or nobody."""

    name: str
    user_id: int | None
    token: str
    roles: frozenset[str]
    perms: frozenset[str]
    agency: str | None  # "A", "J" (the justice bureau) or None
    supervises: frozenset[str]

    @property
    def anonymous(self) -> bool:
        return self.user_id is None

    def can(self, permission: str) -> bool:
        return permission in self.perms

    @property
    def agencies(self) -> frozenset[str]:
        """The agencies whose records the principal may read (its own; supervised ones for supervisors)."""
        own = {self.agency} if self.agency else set()
        return frozenset(own | (self.supervises if "supervisor" in self.roles else set()))


@dataclass(frozen=True)
class Obj:
    """One object of the world, named by a label such as ``case-A`` or ``cmedia-B``."""

    label: str
    kind: str  # case, document, media, device, alert, entry, upload, assignment, party, approval, agency,
    # person, unit, access_request
    agency: str
    pk: int | str
    confidential: bool = False
    case: str | None = None  # the label of the case the object belongs to
    about: str | None = None  # entries: the label of the object the entry describes
    media: str | None = None  # assignments: the label of the linked media record
    owner_id: int | None = None  # uploads in progress: the uploader; drafts: the author
    markers: tuple[str, ...] = ()  # strings that may appear only where the object is visible
    content_markers: tuple[str, ...] = ()  # confidential content: its appearance must be a logged read
    personal: tuple[str, ...] = ()  # full ID numbers, phones and home addresses held by the object
    sha256: str = ""  # media: the stored file's SHA-256


@dataclass
class World:
    principals: dict[str, Principal]
    objects: dict[str, Obj]
    owner_ids: dict[str, int]  # agency → the user who opened its cases and made its records
    officer_ids: dict[str, int]  # agency → a second officer (refusals need two co-signers)
    tile_width: int  # the ledger's size when the world was built (entries tile width)
    extra: dict[str, object] = field(default_factory=dict)

    def obj(self, label: str) -> Obj:
        return self.objects[label]


def png(seed: int) -> bytes:
    """A valid 1×1 PNG whose bytes differ by ``seed`` (each record gets its own stored file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = b"\x00" + bytes([seed % 256, (seed // 256) % 256, 77])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


# Personal data of natural persons, per agency: (party, interviewee of the 笔录, of the confidential 笔录).
PERSONAL = {
    "A": {
        "party": ("110101198001010011", "13800000011", "HOME_A_PARTY_ 某街道1号"),
        "doc": ("110101198502020022", "13800000022", "HOME_A_DOC_ 某街道2号"),
        "cdoc": ("110101198703030033", "13800000033", "HOME_A_CDOC_ 某街道3号"),
    },
    "B": {
        "party": ("120101198001010044", "13900000044", "HOME_B_PARTY_ 某街道4号"),
        "doc": ("120101198502020055", "13900000055", "HOME_B_DOC_ 某街道5号"),
        "cdoc": ("120101198703030066", "13900000066", "HOME_B_CDOC_ 某街道6号"),
    },
}


def _tus_headers(token: str, labels: dict[str, str], length: int) -> dict[str, str]:
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in labels.items())
    return {
        "Authorization": f"Bearer {token}",
        "Tus-Resumable": "1.0.0",
        "Upload-Length": str(length),
        "Upload-Metadata": meta,
    }


def _tus_create(client, token: str, labels: dict[str, str]) -> str:
    """An upload in progress (created, no byte sent yet); its id."""
    response = client.generic("POST", "/api/uploads/", headers=_tus_headers(token, labels, 64))
    assert response.status_code == 201, response.content
    return response["Location"].rsplit("/", 1)[-1]


def _tus_send(client, token: str, labels: dict[str, str], data: bytes):
    """A whole file in the creation request (creation-with-upload); the response names the record."""
    response = client.post(
        "/api/uploads/",
        data=data,
        content_type="application/offset+octet-stream",
        headers=_tus_headers(token, labels, len(data)),
    )
    assert response.status_code in (201, 204) and response.has_header("Liuhen-Media-Id"), response.content
    return response


def _build_agency(
    tag: str, owner, officer, custodian, seed: int, damaged_sha: dict[str, str]
) -> dict[str, Obj]:
    """Agency ``tag``'s records, made by ``owner`` (officer+handler), ``officer`` and ``custodian``."""
    from django.test import Client

    from liuhen.accounts.services import token_issue
    from liuhen.cases import services
    from liuhen.cases.models import Document
    from liuhen.cases.services.drafts import draft_save
    from liuhen.catalogue import example_fields
    from liuhen.evidence.models import MediaRecord
    from liuhen.evidence.services.assignments import media_assign
    from liuhen.evidence.services.devices import device_register
    from liuhen.ledger.models import LedgerEntry

    objs: dict[str, Obj] = {}
    id_no, phone, address = PERSONAL[tag]["party"]
    party = services.party_create(
        created_by=owner,
        kind="person",
        name=f"MK_{tag}_PARTY_ 王某某",
        id_type="居民身份证",
        id_number=id_no,
        phone=phone,
        address=address,
    )
    objs[f"party-{tag}"] = Obj(
        f"party-{tag}",
        "party",
        tag,
        party.pk,
        case=f"case-{tag}",
        markers=(f"MK_{tag}_PARTY_",),
        personal=(id_no, phone, address),
    )

    case = services.case_open(
        opened_by=owner,
        procedure="general",
        initiation_kind="ex_officio",
        cause=f"MK_{tag}_CASE_ 占道经营",
        summary=f"MK_{tag}_CASESUM_ 当事人在人行道上摆摊经营。",
        parties=[party],
    )
    objs[f"case-{tag}"] = Obj(
        f"case-{tag}", "case", tag, case.pk, markers=(f"MK_{tag}_CASE_", f"MK_{tag}_CASESUM_")
    )
    ccase = services.case_open(
        opened_by=owner,
        procedure="general",
        initiation_kind="ex_officio",
        cause=f"MK_{tag}_CCASE_ 涉密案件",
        summary=f"MK_{tag}_CCASESUM_ 涉及商业秘密的案情。",
        confidential=True,
    )
    objs[f"ccase-{tag}"] = Obj(
        f"ccase-{tag}",
        "case",
        tag,
        ccase.pk,
        confidential=True,
        markers=(f"MK_{tag}_CCASE_", f"MK_{tag}_CCASESUM_"),
        content_markers=(f"MK_{tag}_CCASESUM_",),
    )
    # the confidential case has a document of its own too (its stage's print bundle is not empty)
    services.document_create(
        case=ccase,
        created_by=owner,
        doc_type="rectification_notice",
        fields=example_fields("rectification_notice"),
    )

    def inquiry(key: str, confidential: bool) -> Document:
        doc_id, doc_phone, doc_address = PERSONAL[tag][key]
        fields = {
            **example_fields("inquiry_record"),
            "interviewee_id_no": doc_id,
            "interviewee_phone": doc_phone,
            "interviewee_address": doc_address,
            "qa_content": f"问：你是否在人行道上摆摊？\n答：是的。MK_{tag}_{key.upper()}_",
        }
        return services.document_create(
            case=case,
            created_by=owner,
            doc_type="inquiry_record",
            fields=fields,
            confidential=confidential,
        )

    for key, confidential in (("doc", False), ("cdoc", True)):
        document = inquiry(key, confidential)
        marker = f"MK_{tag}_{key.upper()}_"
        objs[f"{key}-{tag}"] = Obj(
            f"{key}-{tag}",
            "document",
            tag,
            document.pk,
            confidential=confidential,
            case=f"case-{tag}",
            markers=(marker,),
            content_markers=(marker,) if confidential else (),
            personal=PERSONAL[tag][key],
        )

    token = token_issue(user=owner)

    def upload(key: str, n: int, *, on_case: bool, confidential: bool = False):
        """Through tus, as the ingest station and the browser do (so the record has its intake)."""
        marker = f"MK_{tag}_{key.upper()}_"
        labels = {
            "title": f"{marker} 现场照片",
            "officers": f"{marker}OFFICER",
            "device_no": f"{marker}DEVNO",
            "filename": f"{key}.png",
            "filetype": "image/png",
            **({"case_id": str(case.pk)} if on_case else {}),
            **({"confidential": "true"} if confidential else {}),
        }
        response = _tus_send(Client(), token, labels, png(seed + n))
        record = MediaRecord.objects.get(pk=int(response["Liuhen-Media-Id"]))
        assert record.confidential == confidential and (record.case_id is not None) == on_case
        return record, marker

    for n, (key, on_case, confidential) in enumerate(
        (("media", True, False), ("cmedia", True, True), ("umedia", False, False))
    ):
        record, marker = upload(key, n, on_case=on_case, confidential=confidential)
        objs[f"{key}-{tag}"] = Obj(
            f"{key}-{tag}",
            "media",
            tag,
            record.pk,
            confidential=confidential,
            case=f"case-{tag}" if on_case else None,
            markers=(marker,),
            sha256=record.sha256,
        )

    linked, marker = upload("amedia", 3, on_case=False)
    objs[f"amedia-{tag}"] = Obj(
        f"amedia-{tag}", "media", tag, linked.pk, case=f"case-{tag}", markers=(marker,), sha256=linked.sha256
    )
    assignment = media_assign(media=linked, case=case, by=owner, reason="现场照片补充关联")
    objs[f"assignment-{tag}"] = Obj(
        f"assignment-{tag}",
        "assignment",
        tag,
        assignment.pk,
        case=f"case-{tag}",
        media=f"amedia-{tag}",
    )

    damaged, marker = upload("xmedia", 4, on_case=False)
    objs[f"xmedia-{tag}"] = Obj(
        f"xmedia-{tag}", "media", tag, damaged.pk, markers=(marker,), sha256=damaged.sha256
    )
    damaged_sha[tag] = damaged.sha256

    device = device_register(by=custodian, number=f"MK_{tag}_DEV_", kind="body_camera")
    objs[f"device-{tag}"] = Obj(f"device-{tag}", "device", tag, device.pk, markers=(f"MK_{tag}_DEV_",))

    approval = services.approval_record(
        case=case, actor=owner, kind="handler_proposal", decision="approve", opinion=f"MK_{tag}_APPROVAL_"
    )
    objs[f"approval-{tag}"] = Obj(
        f"approval-{tag}",
        "approval",
        tag,
        approval.pk,
        case=f"case-{tag}",
        markers=(f"MK_{tag}_APPROVAL_",),
    )

    def entry_of(label: str, action: str, object_type: str) -> None:
        entry = LedgerEntry.objects.get(action=action, object_type=object_type, object_id=objs[label].pk)
        objs[f"entry-{label}"] = Obj(f"entry-{label}", "entry", tag, entry.index, about=label)

    entry_of(f"case-{tag}", "case.opened", "case")
    entry_of(f"ccase-{tag}", "case.opened", "case")
    entry_of(f"media-{tag}", "media.uploaded", "media")

    upload_id = _tus_create(
        Client(), token_issue(user=officer), {"case_id": str(case.pk), "filename": "a.mp4"}
    )
    objs[f"upload-{tag}"] = Obj(f"upload-{tag}", "upload", tag, upload_id, owner_id=officer.pk)

    # a complete 询问笔录 draft by the officer (not the case's handler): seen by its author alone
    draft = draft_save(
        by=officer,
        case=case,
        doc_type="inquiry_record",
        fields={**example_fields("inquiry_record"), "qa_content": f"问：姓名？\n答：MK_{tag}_DRAFT_"},
    )
    objs[f"draft-{tag}"] = Obj(
        f"draft-{tag}",
        "draft",
        tag,
        draft.pk,
        case=f"case-{tag}",
        owner_id=officer.pk,
        markers=(f"MK_{tag}_DRAFT_",),
    )
    return objs


def _raise_alerts(objs: dict[str, Obj], damaged_sha: dict[str, str]) -> None:
    """Remove the stored file of each agency's damaged record and let fixity find it: one integrity
    alert per agency, raised the way alerts really arise."""
    from liuhen.archive.fixity import fixity_run
    from liuhen.archive.models import IntegrityAlert
    from liuhen.cases.blobs import blob_store

    for tag in ("A", "B"):
        blob_store().path_for(damaged_sha[tag]).unlink()
    fixity_run(limit=1000)
    for tag in ("A", "B"):
        subject = f"blob {damaged_sha[tag]}"
        alert = IntegrityAlert.objects.get(subject=subject)
        objs[f"alert-{tag}"] = Obj(f"alert-{tag}", "alert", tag, alert.pk, markers=(subject,))


def _access_request(tag: str, owner, case_pk: int) -> Obj:
    from liuhen.grants.services import ItemSpec, access_request_file

    request = access_request_file(
        by=owner, kind="view", reason=f"MK_{tag}_AREQ_ 复核", days=3, items=[ItemSpec(case_id=case_pk)]
    )
    return Obj(
        f"areq-{tag}", "access_request", tag, request.pk, owner_id=owner.pk, markers=(f"MK_{tag}_AREQ_",)
    )


def _disclosure_request(tag: str, agency) -> Obj:
    """A party's request registered by a desk user of the agency (never a principal), granted with no
    records and delivered."""
    from liuhen.disclosure import delivery, services
    from tests.factories import make_user

    desk = make_user(agency, ["legal_unit"], name=f"受理员{tag}")
    facts = services.RequestFacts(
        requester_kind="party",
        requester_name=f"MK_{tag}_DISC_申请人",
        asked_for="复制执法记录",
        received_on=clock.now().astimezone(clock.SHANGHAI).date(),
    )
    request = services.request_register(by=desk, facts=facts)
    services.request_decide(request=request, by=desk, outcome="grant", reason="", item_outcomes={})
    delivery.request_deliver(request=request, by=desk, method="in_person", recipient="申请人")
    return Obj(f"disclosure-{tag}", "disclosure", tag, request.pk, markers=(f"MK_{tag}_DISC_",))


def build_world() -> World:
    from liuhen.accounts.models import Agency
    from liuhen.accounts.roles import permissions_for
    from liuhen.accounts.services import token_issue, user_create
    from liuhen.ledger.models import LedgerEntry
    from tests.factories import make_agency, make_user

    agency_a = make_agency("iso-a", name="MK_A_AGENCY_ 甲区城市管理行政执法局")
    agency_b = make_agency("iso-b", name="MK_B_AGENCY_ 乙区城市管理行政执法局")
    bureau = Agency.objects.create(
        code="iso-j",
        name="MK_J_AGENCY_ 甲区司法局",
        short_name="甲司法",
        case_prefix="甲司",
        kind=Agency.Kind.SUPERVISION,
    )
    principals: dict[str, Principal] = {}
    users = {}
    for role in ROLES:
        users[role] = make_user(agency_a, [role], username=f"iso_a_{role}", name=f"甲{role}")
    users[BUREAU_SUPERVISOR] = user_create(
        username="iso_j_supervisor",
        password="test-password-1",
        agency=bureau,
        roles=["supervisor"],
        full_name="司法局监督员",
        supervised=[agency_a],
    )
    for name, user in users.items():
        principals[name] = Principal(
            name=name,
            user_id=user.pk,
            token=token_issue(user=user),
            roles=frozenset(user.roles),
            perms=frozenset(str(p) for p in permissions_for(user.roles)),
            agency="J" if name == BUREAU_SUPERVISOR else "A",
            supervises=frozenset({"A"}) if name == BUREAU_SUPERVISOR else frozenset(),
        )
    principals[ANONYMOUS] = Principal(ANONYMOUS, None, "", frozenset(), frozenset(), None, frozenset())

    owner_a = make_user(agency_a, ["officer", "handler"], username="iso_a_owner", name="甲承办人")
    owner_b = make_user(agency_b, ["officer", "handler"], username="iso_b_owner", name="乙承办人")
    officer_b = make_user(agency_b, ["officer"], username="iso_b_officer", name="乙执法员")
    custodian_b = make_user(agency_b, ["device_custodian"], username="iso_b_custodian", name="乙设备员")

    objects: dict[str, Obj] = {}
    damaged: dict[str, str] = {}
    objects.update(_build_agency("A", owner_a, users["officer"], users["device_custodian"], 10, damaged))
    objects.update(_build_agency("B", owner_b, officer_b, custodian_b, 20, damaged))
    _raise_alerts(objects, damaged)
    for tag, owner in (("A", owner_a), ("B", owner_b)):  # a 调阅 request of each agency, pending
        objects[f"areq-{tag}"] = _access_request(tag, owner, objects[f"case-{tag}"].pk)
    for tag, agency in (("A", agency_a), ("B", agency_b)):  # a party's request of each, answered
        objects[f"disclosure-{tag}"] = _disclosure_request(tag, agency)
    for tag, agency in (("A", agency_a), ("B", agency_b), ("J", bureau)):
        objects[f"agency-{tag}"] = Obj(
            f"agency-{tag}", "agency", tag, agency.pk, markers=(f"MK_{tag}_AGENCY_",)
        )
    for tag, agency, owner in (
        ("A", agency_a, owner_a),
        ("B", agency_b, owner_b),
    ):  # the admin pages' targets
        objects[f"person-{tag}"] = Obj(f"person-{tag}", "person", tag, owner.pk)
        objects[f"unit-{tag}"] = Obj(f"unit-{tag}", "unit", tag, agency.units.get().pk)
    from tests.access import world_supervision

    world_supervision.spot_checks(objects, principals)
    world_supervision.file_reviews(objects, principals)
    return World(
        principals=principals,
        objects=objects,
        owner_ids={"A": owner_a.pk, "B": owner_b.pk},
        officer_ids={"A": users["officer"].pk, "B": officer_b.pk},
        tile_width=LedgerEntry.objects.count(),
    )


@pytest.fixture(autouse=True)
def _isolated_storage():
    """Replaces the suite's per-test blob store: the world's files must outlive one test."""
    yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test.utils import override_settings

    from liuhen.cases.blobs import blob_store
    from liuhen.evidence import tus_view

    root = tmp_path_factory.mktemp("access-world")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LIUHEN_STORAGE={"backend": "local", "root": str(root / "blobs")},
        LIUHEN_KEY_DIR=root / "keys",
        LIUHEN_UPLOAD_DIR=str(root / "uploads"),
    )
    with django_db_blocker.unblock():
        overrides.enable()
        blob_store.cache_clear()
        tus_view._server.cache_clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()
            blob_store.cache_clear()
            tus_view._server.cache_clear()
