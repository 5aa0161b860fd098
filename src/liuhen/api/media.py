"""Audio/video endpoints: a plain multipart upload, metadata, and playback/download with HTTP Range.
Every view and download of A/V is a ledger entry (R6)."""

from datetime import datetime

from django.http import StreamingHttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from liuhen.api.auth import AuthedRequest
from liuhen.api.http_range import UnsatisfiableRange, parse_range
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_READ, ERRORS_WRITE, MediaOut
from liuhen.cases import selectors
from liuhen.cases.blobs import blob_store
from liuhen.core.errors import DomainError, invalid
from liuhen.core.ids import parse_id
from liuhen.evidence import selectors as evidence_selectors
from liuhen.evidence.selectors import media_device_warnings
from liuhen.evidence.services.document_links import media_documents_link
from liuhen.evidence.services.upload import media_upload
from liuhen.media.sniff import HEAD_BYTES, delivery
from liuhen.storage import StorageFull

router = Router(tags=["media 音像记录"])


class MediaIn(Schema):
    kind: str = Field(max_length=16, description="photo / audio / video / other")
    title: str = Field(min_length=1, max_length=200)
    activity: str = Field("", max_length=32)
    device_no: str = Field("", max_length=64)
    officers: str = Field("", max_length=500, description="执法人员姓名，逗号分隔")
    location: str = Field("", max_length=200)
    captured_start: datetime | None = None
    captured_end: datetime | None = None
    remote_work: bool = False
    returned_at: datetime | None = None
    linked_document_ids: str = Field("", max_length=500, description="同一环节文书的 id，逗号分隔")
    confidential: bool = False
    late_cause: str = Field(
        "", max_length=1000, description="逾期上传原因：超过本机关规定的上传时限时填写（无时限的机关不填）"
    )


class InsufficientStorage(DomainError):
    status = 507
    code = "insufficient_storage"


class MediaUploadOut(MediaOut):
    device_warning: str = Field(
        "", description="记录设备故障、已报废或未登记时的提示（R4）；空：设备正常或未标注设备编号"
    )

    @staticmethod
    def resolve_device_warning(obj, context) -> str:
        user = context["request"].user
        warning = media_device_warnings(user=user, media_ids=[obj.pk]).get(obj.pk)
        return f"{warning.badge}：{warning.reason}" if warning else ""


@router.post("/cases/{case_id}/media", response={201: MediaUploadOut, **ERRORS_WRITE}, summary="上传音像记录")
def upload(request: AuthedRequest, case_id: Id, data: Form[MediaIn], file: File[UploadedFile]):
    """The file goes through the same intake as a tus upload (probe, intake record, retention lock).
    The same bytes already on this case are 409 ``duplicate_media``; its ``errors`` item at ``file``
    carries the existing record's id as ``media_id``, to link it with ``POST /media/{id}/document-links``."""
    case = selectors.case_get(user=request.user, case_id=case_id, action="change")
    linked = [_document(request, token, i) for i, token in enumerate(_split(data.linked_document_ids))]
    fields = data.dict(exclude={"officers", "linked_document_ids"})
    try:
        record = media_upload(
            case=case,
            uploaded_by=request.user,
            chunks=file.chunks(),
            content_type=file.content_type or "",
            original_filename=file.name or "",
            officers=_split(data.officers),
            linked_documents=linked,
            **fields,
        )
    except StorageFull as exc:
        raise InsufficientStorage("存储空间不足，文件未保存，请稍后重试") from exc
    return Status(201, record)


@router.get("/cases/{case_id}/media", response={200: list[MediaOut], **ERRORS_READ}, summary="案件音像记录")
def case_media(request: AuthedRequest, case_id: Id):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return evidence_selectors.case_media(user=request.user, case=case)


@router.get("/media/{media_id}", response={200: MediaOut, **ERRORS_READ}, summary="音像记录信息")
def media_detail(request: AuthedRequest, media_id: Id):
    return evidence_selectors.media_get(user=request.user, media_id=media_id)


@router.get(
    "/media/{media_id}/content",
    response={200: None, 206: None, 416: None, **ERRORS_READ},
    summary="播放/下载音像记录（支持 Range）",
)
def media_content(request: AuthedRequest, media_id: Id, download: bool = False):
    purpose = "downloaded" if download else "viewed"
    record = evidence_selectors.media_open(
        user=request.user, media_id=media_id, purpose=purpose
    )  # logs the read
    # The type comes from the file's own first bytes, never from the uploader (no script in our origin).
    head = b"".join(blob_store().open_range(record.sha256, 0, min(record.size, HEAD_BYTES)))
    served = delivery(head, download=download, name=record.sha256[:16])
    try:
        byte_range = parse_range(request.headers.get("Range"), record.size)
    except UnsatisfiableRange:
        response = StreamingHttpResponse(iter(()), status=416)
        response["Content-Range"] = f"bytes */{record.size}"
    else:
        start, end = byte_range or (0, record.size)
        response = StreamingHttpResponse(
            blob_store().open_range(record.sha256, start, end), status=206 if byte_range else 200
        )
        response["Accept-Ranges"] = "bytes"
        response["Content-Length"] = str(end - start)
        if byte_range:
            response["Content-Range"] = f"bytes {start}-{end - 1}/{record.size}"
    for name, value in served.headers.items():
        response[name] = value
    return response


class DocumentLinkIn(Schema):
    document_ids: list[Id] = Field(min_length=1, max_length=50, description="同一案件、同一环节文书的 id")
    reason: str = Field("", max_length=1000)


class DocumentLinkOut(Schema):
    id: int
    media_id: int
    case_id: int
    documents: list[int]
    withdraws_id: int | None
    reason: str
    by_id: int
    at: datetime


@router.post(
    "/media/{media_id}/document-links",
    response={201: DocumentLinkOut, **ERRORS_WRITE},
    summary="为已上传的音像记录关联文书",
)
def document_link(request: AuthedRequest, media_id: Id, data: DocumentLinkIn):
    """The documents name the case (all of one case); the footage must be a record of that case."""
    media = evidence_selectors.media_get(user=request.user, media_id=media_id, action="change")
    documents = [
        selectors.document_get(user=request.user, document_id=i, action="change") for i in data.document_ids
    ]
    link = media_documents_link(
        media=media, case=documents[0].case, documents=documents, by=request.user, reason=data.reason
    )
    return Status(201, link)


def _split(raw: str) -> list[str]:
    """A comma-separated form value (ASCII or full-width commas) as its non-empty, stripped parts."""
    return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]


def _document(request: AuthedRequest, token: str, index: int):
    """The document a ``linked_document_ids`` item names: ASCII digits only (``١``/``²`` are not ids)."""
    number = parse_id(token)
    if number is None:
        raise invalid(f"linked_document_ids[{index}]", "invalid", f"文书 id 须为正整数：{token}")
    return selectors.document_get(user=request.user, document_id=number, action="change")
