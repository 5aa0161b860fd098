"""Document endpoints: the catalogue, creating documents, signatures, refusals and amendments."""

from typing import Any

from ninja import Router, Status

from liuhen.accounts.models import User
from liuhen.accounts.selectors import colleague_get
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
    RefusalIn,
    RefusalOut,
    SignatureIn,
    SignatureOut,
    errors,
)
from liuhen.cases import selectors, services
from liuhen.cases.models import Document
from liuhen.cases.services.documents import document_current_fields
from liuhen.catalogue import CATALOGUE, UnknownDocumentType, get_type
from liuhen.core.errors import NotFound, invalid

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
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    first, second = (_officer(request.user, pid, i) for i, pid in enumerate(payload.cosigner_ids))
    data = payload.dict(exclude={"cosigner_ids"})
    return Status(
        201,
        services.document_refusal_record(
            document=document,
            recorded_by=request.user,
            cosigners=(first, second),
            **data,  # type: ignore[arg-type]
        ),
    )


@router.post(
    "/documents/{document_id}/amendments", response={201: AmendmentOut, **ERRORS_WRITE}, summary="更正"
)
def amend(request: AuthedRequest, document_id: Id, payload: AmendmentIn):
    document = selectors.document_get(user=request.user, document_id=document_id, action="change")
    return Status(201, services.document_amend(document=document, amended_by=request.user, **payload.dict()))


def _officer(user: User, user_id: int, index: int) -> User:
    try:
        return colleague_get(user=user, user_id=user_id)
    except NotFound:
        raise invalid(f"cosigner_ids[{index}]", "not_found", f"执法人员 {user_id} 不存在") from None
