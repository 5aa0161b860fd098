"""Document endpoints: the catalogue, creating documents, signatures, refusals and amendments, and what
signers leave (drawn signatures, fingerprints, seals) and signed paper copies."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from liuhen.api.auth import AuthedRequest
from liuhen.api.doc_schemas import document_create_schema
from liuhen.api.inputs import Id
from liuhen.api.schemas import (
    ERRORS_READ,
    ERRORS_WRITE,
    AmendmentIn,
    AmendmentOut,
    DocumentOut,
    DocumentTypeOut,
    MarkIn,
    MarkOut,
    RefusalIn,
    RefusalOut,
    SignatureIn,
    SignatureOut,
    SignedCopyIn,
    SignedCopyOut,
    errors,
)
from liuhen.cases import selectors, services
from liuhen.cases.models import Document, SignatureMark, SignedCopy
from liuhen.cases.services.documents import document_current_fields
from liuhen.cases.services.marks import Location
from liuhen.catalogue import CATALOGUE, UnknownDocumentType, get_type
from liuhen.core.errors import NotFound, invalid
from liuhen.media.sniff import delivery

router = Router(tags=["documents 文书"])

DocumentCreateIn = document_create_schema()


def document_out(document: Document) -> dict:
    return {
        "id": document.pk,
        "case_id": document.case_id,
        "doc_type": document.doc_type,
        "title": get_type(document.doc_type).title,
        "number": document.number,
        "fields": document.fields,
        "current_fields": document_current_fields(document),
        "body_sha256": document.body_sha256,
        "stage": document.stage,
        "confidential": document.confidential,
        "created_at": document.created_at,
        "created_by": document.created_by,
        "signatures": list(document.signatures.all()),
        "refusals": list(document.refusals.all()),
        "amendments": list(document.amendments.all()),
        "marks": list(document.marks.all()),
        "signed_copies": list(document.signed_copies.all()),
    }


def _type_out(code: str) -> dict:
    doc = get_type(code)

    def specs(items) -> list[dict]:
        return [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "required": f.required,
                "help": f.help,
                "choices": [list(c) for c in f.choices],
            }
            for f in items
        ]

    return {
        "code": doc.code,
        "title": doc.title,
        "stages": list(doc.stages),
        "fields": specs(doc.fields),
        "variant_field": doc.variant_field,
        "variants": {value: specs(items) for value, items in doc.variants.items()},
    }


@router.get("/document-types", response={200: list[DocumentTypeOut]}, auth=None, summary="文书种类目录")
def document_types(request: AuthedRequest):
    return [_type_out(code) for code in CATALOGUE]


@router.get(
    "/document-types/{code}",
    response={200: DocumentTypeOut, **errors(404, 422)},
    auth=None,
    summary="文书种类",
)
def document_type(request: AuthedRequest, code: str):
    try:
        return _type_out(code)
    except UnknownDocumentType:
        raise NotFound(f"未知的文书类型：{code}") from None


@router.get(
    "/cases/{case_id}/documents", response={200: list[DocumentOut], **ERRORS_READ}, summary="案件文书"
)
def case_documents(request: AuthedRequest, case_id: Id):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return [document_out(d) for d in selectors.case_documents(user=request.user, case=case)]


@router.post("/cases/{case_id}/documents", response={201: DocumentOut, **ERRORS_WRITE}, summary="制作文书")
def create_document(request: AuthedRequest, case_id: Id, payload: DocumentCreateIn):  # type: ignore[valid-type]
    case = selectors.case_get(user=request.user, case_id=case_id, action="change")
    form: Any = payload  # one of the generated per-type models
    document = services.document_create(
        case=case,
        created_by=request.user,
        doc_type=form.doc_type,
        number=form.number,
        confidential=form.confidential,
        fields=form.fields.model_dump(exclude_none=True),
    )
    return Status(201, document_out(document))


@router.get("/documents/{document_id}", response={200: DocumentOut, **ERRORS_READ}, summary="文书详情")
def get_document(request: AuthedRequest, document_id: Id):
    return document_out(selectors.document_get(user=request.user, document_id=document_id))


@router.post(
    "/documents/{document_id}/signatures", response={201: SignatureOut, **ERRORS_WRITE}, summary="签名"
)
def sign(request: AuthedRequest, document_id: Id, payload: SignatureIn):
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    return Status(201, services.document_sign(document=document, recorded_by=request.user, **payload.dict()))


@router.post(
    "/documents/{document_id}/refusals", response={201: RefusalOut, **ERRORS_WRITE}, summary="拒绝签名"
)
def refuse(request: AuthedRequest, document_id: Id, payload: RefusalIn):
    """The caller is the first officer; the second confirms with their own username and password."""
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    second = services.second_officer_confirm(
        request=request,
        username=payload.second_officer_username,
        password=payload.second_officer_password,
    )
    data = payload.dict(exclude={"second_officer_username", "second_officer_password"})
    refusal = services.document_refusal_record(
        document=document, recorded_by=request.user, second_officer=second, **data
    )
    return Status(201, refusal)


@router.post(
    "/documents/{document_id}/amendments", response={201: AmendmentOut, **ERRORS_WRITE}, summary="更正"
)
def amend(request: AuthedRequest, document_id: Id, payload: AmendmentIn):
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    return Status(201, services.document_amend(document=document, amended_by=request.user, **payload.dict()))


@router.post(
    "/documents/{document_id}/marks",
    response={201: MarkOut, **ERRORS_WRITE},
    summary="添加签名图像（手写签名/手印/印章）",
)
def add_mark(request: AuthedRequest, document_id: Id, data: Form[MarkIn], file: File[UploadedFile]):
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    mark = services.mark_add(
        document=document,
        created_by=request.user,
        kind=data.kind,
        data=_head(file, settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES),
        strokes=_strokes(data.strokes),
        signature=_of(document.signatures.all(), data.signature_id, "signature_id"),
        amendment=_of(document.amendments.all(), data.amendment_id, "amendment_id"),
        location=Location(data.latitude, data.longitude, data.accuracy_m)
        if data.latitude is not None and data.longitude is not None
        else None,
        field="file",
    )
    return Status(201, mark)


@router.get(
    "/documents/{document_id}/marks", response={200: list[MarkOut], **ERRORS_READ}, summary="签名图像"
)
def list_marks(request: AuthedRequest, document_id: Id):
    document = selectors.document_get(user=request.user, document_id=document_id)
    return selectors.document_marks(request.user, document)


@router.get(
    "/documents/{document_id}/marks/{mark_id}/content",
    response={200: None, **ERRORS_READ},
    summary="签名图像内容",
)
def mark_content(request: AuthedRequest, document_id: Id, mark_id: Id):
    mark = selectors.mark_open(user=request.user, document_id=document_id, mark_id=mark_id)
    return _file_response(mark, download=False)


@router.post(
    "/documents/{document_id}/signed-copies",
    response={201: SignedCopyOut, **ERRORS_WRITE},
    summary="上传签字页扫描件（JPEG/PNG/PDF）",
)
def add_signed_copy(
    request: AuthedRequest, document_id: Id, data: Form[SignedCopyIn], file: File[UploadedFile]
):
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    copy = services.signed_copy_add(
        document=document,
        created_by=request.user,
        data=_head(file, settings.LIUHEN_MAX_SIGNED_COPY_BYTES),
        version=data.version,
        note=data.note,
    )
    return Status(201, copy)


@router.get(
    "/documents/{document_id}/signed-copies",
    response={200: list[SignedCopyOut], **ERRORS_READ},
    summary="签字页扫描件",
)
def list_signed_copies(request: AuthedRequest, document_id: Id):
    document = selectors.document_get(user=request.user, document_id=document_id)
    return selectors.document_signed_copies(request.user, document)


@router.get(
    "/documents/{document_id}/signed-copies/{copy_id}/content",
    response={200: None, **ERRORS_READ},
    summary="下载签字页扫描件",
)
def signed_copy_content(request: AuthedRequest, document_id: Id, copy_id: Id, download: bool = False):
    copy = selectors.signed_copy_open(user=request.user, document_id=document_id, copy_id=copy_id)
    return _file_response(copy, download=download)


def _head(file: UploadedFile, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the upload: enough for the service to say "too large", without
    reading a huge file into memory."""
    return file.read(limit + 1)


def _strokes(raw: str) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise invalid("strokes", "invalid", "笔画记录须为 JSON") from None


def _of(rows: Any, row_id: int | None, field: str) -> Any:
    """The row of ``rows`` (a document's signatures or amendments) with id ``row_id``; None for none."""
    if row_id is None:
        return None
    found = next((row for row in rows if row.pk == row_id), None)
    if found is None:
        raise invalid(field, "not_found", f"本文书没有编号为 {row_id} 的记录")
    return found


def _file_response(row: SignatureMark | SignedCopy, *, download: bool) -> HttpResponse:
    """The stored bytes, typed from their own first bytes (:mod:`liuhen.media.sniff`), never inline
    unless they are an allowed image."""
    content = selectors.mark_bytes(row)
    served = delivery(content[:1024], download=download, name=row.sha256[:16])
    response = HttpResponse(content)
    for name, value in served.headers.items():
        response[name] = value
    return response
